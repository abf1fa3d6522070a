import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createNoteSigner, signNote } from '#ledger';
import { enqueueEntry, LedgerSequencer, sqlOf } from '#ledger-store';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const run = promisify(execFile);
const seed = randomBytes(32);
const signer = createNoteSigner('test-ledger', seed);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function enqueue(db: ScratchDatabase, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await enqueueEntry(sqlOf(db.pool), { kind: 'work.registered', subject: { type: 'work', id: randomUUID() }, workSha256: randomBytes(32).toString('hex'), parties: [] });
  }
}

const integrated = async (db: ScratchDatabase) => Number((await db.pool.query('SELECT count(*) AS n FROM ledger_entries')).rows[0].n);

/** Runs the real `ledger:check` command (the build `npm test` made) against the database. */
async function ledgerCheck(db: ScratchDatabase, env: Record<string, string | undefined> = { LEDGER_SIGNING_KEY: seed.toString('base64') }): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['dist/apps/cli/src/ledger-check.js'], {
      env: { ...process.env, DATABASE_URL: db.url, LEDGER_KEY_NAME: 'test-ledger', ...env },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('ledger integrity', () => {
  let db: ScratchDatabase;
  const sequencers: LedgerSequencer[] = [];
  const sequencer = () => {
    const s = new LedgerSequencer({ databaseUrl: db.url, signer, origin: 'test/ledger', batchSize: 7, takeoverIntervalMs: 200, idlePollMs: 50 });
    sequencers.push(s);
    s.start();
    return s;
  };

  beforeEach(async () => {
    db = await createScratchDatabase(`integrity_${Math.random().toString(36).slice(2, 8)}`);
  });
  afterEach(async () => {
    await Promise.all(sequencers.splice(0).map((s) => s.stop()));
    await db.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on every ledger table', async () => {
    sequencer();
    await enqueue(db, 3);
    await waitFor(async () => (await integrated(db)) === 3);
    for (const statement of [
      `UPDATE ledger_entries SET kind = 'x'`,
      `DELETE FROM ledger_entries WHERE idx = 0`,
      `TRUNCATE ledger_entries CASCADE`,
      `UPDATE ledger_node_runs SET hashes = hashes`,
      `DELETE FROM ledger_node_runs`,
      `UPDATE ledger_checkpoints SET note = ''`,
      `DELETE FROM ledger_checkpoints`,
      `TRUNCATE ledger_checkpoints`,
    ]) {
      await expect(db.pool.query(statement)).rejects.toThrow(/append-only/);
    }
    expect(await integrated(db)).toBe(3);
  });

  it('runs one sequencer at a time and fails over to a standby when the active one stops', async () => {
    const first = sequencer();
    const second = sequencer();
    await waitFor(async () => first.isActive || second.isActive);
    await new Promise((r) => setTimeout(r, 400));
    expect([first.isActive, second.isActive].filter(Boolean)).toHaveLength(1);
    const [active, standby] = first.isActive ? [first, second] : [second, first];

    await enqueue(db, 20);
    await waitFor(async () => (await integrated(db)) === 20);
    await active.stop();
    await waitFor(async () => standby.isActive, 5000);
    await enqueue(db, 15);
    await waitFor(async () => (await integrated(db)) === 35);

    const checkpoints = await db.pool.query('SELECT tree_size FROM ledger_checkpoints ORDER BY tree_size');
    expect(Number(checkpoints.rows.at(-1).tree_size)).toBe(35);
    // Batched: far fewer checkpoints than entries, at most batchSize per commit.
    const sizes = checkpoints.rows.map((r) => Number(r.tree_size));
    sizes.forEach((size, i) => expect(size - (i ? sizes[i - 1] : 0)).toBeLessThanOrEqual(7));
    expect((await ledgerCheck(db)).code).toBe(0);
  });

  it('ledger:check blames the key, not the ledger, when it has none or one that signed nothing here, and creates none', async () => {
    sequencer();
    await enqueue(db, 3);
    await waitFor(async () => (await integrated(db)) === 3);
    await enqueue(db, 3); // a second checkpoint
    await waitFor(async () => (await integrated(db)) === 6);
    const emptyDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-check-'));
    try {
      const none = await ledgerCheck(db, { LEDGER_SIGNING_KEY: undefined, DATA_DIR: emptyDataDir });
      expect(none.code).toBe(78);
      expect(none.output).toMatch(/^Configuration error: no key to check against/);
      expect(fs.readdirSync(emptyDataDir)).toEqual([]);
      const other = await ledgerCheck(db, { LEDGER_SIGNING_KEY: randomBytes(32).toString('base64') });
      expect(other.code).toBe(78);
      expect(other.output).toMatch(/^Configuration error: no checkpoint here is signed by test-ledger\+[0-9a-f]{8}\+/);
      expect(other.output).not.toContain('TAMPERED');

      // The latest checkpoint alone re-signed by another key is tampering, found by the check.
      const forger = createNoteSigner('test-ledger', randomBytes(32));
      const latest = (await db.pool.query('SELECT tree_size, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1')).rows[0];
      const body = latest.note.slice(0, latest.note.lastIndexOf('\n\n') + 1);
      const client = await db.pool.connect();
      try {
        await client.query('SET session_replication_role = replica');
        await client.query('UPDATE ledger_checkpoints SET note = $2 WHERE tree_size = $1', [latest.tree_size, signNote(forger, body)]);
      } finally {
        await client.query('SET session_replication_role = origin');
        client.release();
      }
      const forged = await ledgerCheck(db);
      expect(forged.code).toBe(1);
      expect(forged.output).toContain('TAMPERED');
    } finally {
      fs.rmSync(emptyDataDir, { recursive: true, force: true });
    }
  });

  it('ledger:check passes on an intact ledger and names the first bad index after tampering', async () => {
    sequencer();
    await enqueue(db, 30);
    await waitFor(async () => (await integrated(db)) === 30);
    const intact = await ledgerCheck(db);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.output).toContain('ledger OK: 30 entries');

    // A superuser can bypass the triggers; the check must still catch it.
    const tamper = async (sql: string) => {
      const client = await db.pool.connect();
      try {
        await client.query('SET session_replication_role = replica');
        await client.query(sql);
      } finally {
        await client.query('SET session_replication_role = origin');
        client.release();
      }
    };
    await tamper(`UPDATE ledger_entries SET data = convert_to(replace(convert_from(data, 'UTF8'), '"parties":[]', '"parties":[{"id":"x","role":"owner"}]'), 'UTF8') WHERE idx = 17`);
    const edited = await ledgerCheck(db);
    expect(edited.code).toBe(1);
    expect(edited.output).toContain('TAMPERED at index 17');

    // Rewriting the leaf hash in the tree too is caught by the nodes above it.
    await tamper(
      `UPDATE ledger_node_runs SET hashes = overlay(hashes PLACING sha256('\\x00'::bytea || (SELECT data FROM ledger_entries WHERE idx = 17)) FROM ((17 - start_idx) * 32 + 1)::int)
        WHERE level = 0 AND start_idx <= 17 AND start_idx + length(hashes) / 32 > 17`,
    );
    const rehashed = await ledgerCheck(db);
    expect(rehashed.code).toBe(1);
    expect(rehashed.output).toMatch(/TAMPERED at index 1[67]/);
  });

  it('ledger:check catches a removed entry and a forged checkpoint', async () => {
    sequencer();
    await enqueue(db, 12);
    await waitFor(async () => (await integrated(db)) === 12);
    await Promise.all(sequencers.splice(0).map((s) => s.stop()));
    const client = await db.pool.connect();
    await client.query('SET session_replication_role = replica');
    await client.query(`UPDATE ledger_checkpoints SET note = replace(note, E'\\n12\\n', E'\\n13\\n') WHERE tree_size = 12`);
    await client.query('SET session_replication_role = origin');
    client.release();
    const forged = await ledgerCheck(db);
    expect(forged.code).toBe(1);
    expect(forged.output).toContain('checkpoint at size 12 does not verify');

    const client2 = await db.pool.connect();
    await client2.query('SET session_replication_role = replica');
    await client2.query('DELETE FROM ledger_entries WHERE idx = 4');
    await client2.query('SET session_replication_role = origin');
    client2.release();
    const removed = await ledgerCheck(db);
    expect(removed.code).toBe(1);
    expect(removed.output).toContain('TAMPERED at index 4');
  });
});
