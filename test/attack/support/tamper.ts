// Edits ledger rows the way only a database superuser can: around the
// append-only triggers (session_replication_role = replica skips them).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';

const run = promisify(execFile);

export async function tamper(pool: pg.Pool, ...statements: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.query('SET session_replication_role = origin');
    client.release();
  }
}

/** Runs the real `npm run ledger:check` program (from the build `npm test` made) against a database. */
export async function ledgerCheck(databaseUrl: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/apps/cli/src/ledger-check.js'], { env: { ...process.env, DATABASE_URL: databaseUrl, ...env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}
