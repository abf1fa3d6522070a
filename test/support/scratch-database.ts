// A separate, migrated database for tests that damage or race the ledger, so
// they cannot disturb the tests sharing the run's database.
import pg from 'pg';
import { runMigrations } from '#persistence';

export interface ScratchDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const baseUrl = process.env.TEST_BASE_DATABASE_URL!;
  const name = `${process.env.TEST_DATABASE_NAME}_${label}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // pool.end() resolves before its sockets close, so DROP ... WITH (FORCE)
  // can still terminate one: an idle client's error, which the pool re-emits
  // and, unheard, fails the whole test file (seen once in CI).
  pool.on('error', () => undefined);
  return {
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
