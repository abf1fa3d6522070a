// The appender's bulk path (appendAll: the next batch is encoded while the one
// before is written) must build exactly the tree one-batch-at-a-time appends
// build, and a failed batch must leave the tree at the last batch written.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createNoteSigner, verifierKey, type PendingEntry } from '#ledger';
import { LedgerAppender, LedgerReader, SEQUENCER_LOCK_ID, checkLedger, sqlOf, type AppendItem } from '#ledger-store';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';

const signer = createNoteSigner('test-appender', randomBytes(32));
const ORIGIN = 'test/appender';
const NOW = new Date('2026-11-29T12:00:00.000Z');

function batchesOf(sizes: number[]): AppendItem[][] {
  let next = 1;
  return sizes.map((size) =>
    Array.from({ length: size }, () => {
      const entryId = String(next++);
      const body: PendingEntry = {
        kind: 'work.registered',
        subject: { type: 'work', id: randomUUID() },
        workSha256: randomBytes(32).toString('hex'),
        parties: [{ role: 'registrant', id: randomUUID() }],
        refs: { registrationNumber: `CR-2026-${entryId.padStart(8, '0')}` },
      };
      return { entryId, body };
    }),
  );
}

describe('LedgerAppender.appendAll', () => {
  const databases: ScratchDatabase[] = [];
  const clients: pg.Client[] = [];

  async function sequencerConnection(label: string) {
    const db = await createScratchDatabase(label);
    databases.push(db);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    clients.push(client);
    const sql = sqlOf(client);
    await sql('SELECT pg_advisory_lock($1)', [SEQUENCER_LOCK_ID]);
    return { sql, appender: await LedgerAppender.load(sql, signer, ORIGIN) };
  }

  afterAll(async () => {
    for (const client of clients) await client.end();
    for (const db of databases) await db.drop();
  });

  it('builds the same entries, checkpoints and roots as appending one batch at a time', async () => {
    const batches = batchesOf([7, 1, 64, 30, 100, 3]);
    const one = await sequencerConnection('append_one');
    for (const items of batches) await one.appender.append(one.sql, items, NOW);
    const all = await sequencerConnection('append_all');
    expect(await all.appender.appendAll(all.sql, batches, () => NOW)).toBe(205);

    const snapshot = (sql: typeof one.sql) =>
      Promise.all([
        sql('SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size'),
        sql('SELECT idx, entry_id, data FROM ledger_entries ORDER BY idx'),
        sql('SELECT level, start_idx, hashes FROM ledger_node_runs ORDER BY level, start_idx'),
      ]);
    const [checkpoints, entries, runs] = await snapshot(all.sql);
    expect(checkpoints.map((c) => Number(c.tree_size))).toEqual([7, 8, 72, 102, 202, 205]);
    expect(entries).toHaveLength(205);
    expect([checkpoints, entries, runs]).toEqual(await snapshot(one.sql));

    const check = await checkLedger(all.sql, verifierKey(signer));
    expect(check).toMatchObject({ ok: true, entries: 205, checkpoints: 6 });
  });

  it('stops at a failed batch: the tree stays at the last batch written and appending goes on from there', async () => {
    const { sql, appender } = await sequencerConnection('append_fail');
    const batches = batchesOf([10, 10, 10, 10]);
    batches[2]![4] = { ...batches[2]![4]!, entryId: batches[1]![0]!.entryId }; // entry_id is unique: batch 3 fails
    await expect(appender.appendAll(sql, batches, () => NOW)).rejects.toThrow(/duplicate key/);
    expect(appender.size).toBe(20);
    const [{ size }] = await sql<{ size: string }>('SELECT max(tree_size) AS size FROM ledger_checkpoints');
    expect(Number(size)).toBe(20);

    const retry = batchesOf([10, 10]);
    retry.flat().forEach((item, i) => (item.entryId = String(1000 + i)));
    expect(await appender.appendAll(sql, retry, () => NOW)).toBe(40);
    expect(await checkLedger(sql, verifierKey(signer))).toMatchObject({ ok: true, entries: 40, checkpoints: 4 });
    // A fresh appender (another process taking over) agrees with the signed tree.
    expect((await LedgerAppender.load(sql, signer, ORIGIN)).size).toBe(40);
    const reader = new LedgerReader(sql, { verifierKey: verifierKey(signer) });
    expect((await reader.inclusionProof(25, 40)).length).toBeGreaterThan(0);
  });
});
