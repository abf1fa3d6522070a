// Issue 6, attack: tampering with any stored ledger row, tree node run or
// checkpoint (around the append-only triggers, as a database superuser could)
// is reported by `npm run ledger:check` with the first ledger index it
// affects; and the API refuses to serve proofs from a tree that no longer
// matches its signed checkpoints (503 LEDGER_INCONSISTENT) instead of
// serving proofs that would not verify.
import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { createNoteSigner, leafHash, openCheckpoint, signCheckpoint, verifyConsistency, verifyInclusion } from '#ledger';
import { LedgerSequencer } from '#ledger-store';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { issueKey, startRegistry, TEST_DATA_DIR } from '../support/test-app.js';
import { randomHash } from '../support/proofs.js';
import { ledgerCheck, tamper } from './support/tamper.js';

import { jest } from '@jest/globals';
jest.setTimeout(120_000);

const seed = randomBytes(32);
const KEY_NAME = 'tamper-test';
const signer = createNoteSigner(KEY_NAME, seed);
const checkEnv = { LEDGER_SIGNING_KEY: seed.toString('base64'), LEDGER_KEY_NAME: KEY_NAME };

/** `count` queued entries in ONE statement, so the sequencer integrates them in full batches. */
async function enqueueMany(pool: pg.Pool, count: number): Promise<void> {
  const bodies = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ kind: 'work.registered', subject: { type: 'work', id: randomUUID() }, workSha256: randomBytes(32).toString('hex'), parties: [], refs: { n: i } }),
  );
  await pool.query('INSERT INTO ledger_queue (body, subject_id) SELECT b::jsonb, (b::jsonb -> $2 ->> $3)::uuid FROM unnest($1::text[]) AS b', [bodies, 'subject', 'id']);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = async (pool: pg.Pool, table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('ledger:check names the first index touched by any tampering', () => {
  // 30 entries in batches of 7: checkpoints at 7, 14, 21, 28 and 30.
  let base: ScratchDatabase;
  const copies: string[] = [];
  const baseUrl = () => process.env.TEST_BASE_DATABASE_URL!;

  beforeAll(async () => {
    base = await createScratchDatabase(`tamper_base_${process.pid}`);
    await enqueueMany(base.pool, 30);
    const sequencer = new LedgerSequencer({ databaseUrl: base.url, signer, origin: 'test/tamper', batchSize: 7, idlePollMs: 20 });
    sequencer.start();
    await waitFor(async () => (await count(base.pool, 'ledger_entries')) === 30);
    await sequencer.stop();
    const sizes = (await base.pool.query('SELECT tree_size FROM ledger_checkpoints ORDER BY tree_size')).rows.map((r) => Number(r.tree_size));
    expect(sizes).toEqual([7, 14, 21, 28, 30]);
    await base.pool.end();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl() });
    await admin.connect();
    for (const name of [...copies, new URL(base.url).pathname.slice(1)]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  /** A fresh copy of the intact ledger (CREATE DATABASE ... TEMPLATE). */
  async function copyOfLedger(): Promise<{ url: string; pool: pg.Pool }> {
    const name = `${new URL(base.url).pathname.slice(1)}_c${copies.length}`;
    copies.push(name);
    const admin = new pg.Client({ connectionString: baseUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(base.url).pathname.slice(1)}`);
    await admin.end();
    const url = new URL(baseUrl());
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    pool.on('error', () => undefined); // a client terminated by the final DROP ... WITH (FORCE)
    return { url: url.toString(), pool };
  }

  it('passes the intact ledger', async () => {
    const copy = await copyOfLedger();
    await copy.pool.end();
    const result = await ledgerCheck(copy.url, checkEnv);
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain('ledger OK: 30 entries, 5 checkpoints');
  });

  const forged = signCheckpoint(createNoteSigner(KEY_NAME, randomBytes(32)), { origin: 'test/tamper', size: 10, rootHash: randomBytes(32) });
  const nodeAt = (level: number, index: number) =>
    `level = ${level} AND start_idx <= ${index} AND start_idx + length(hashes) / 32 > ${index}`;
  const flipNode = (level: number, index: number) =>
    `UPDATE ledger_node_runs SET hashes = overlay(hashes PLACING '\\xff'::bytea FROM ((${index} - start_idx) * 32 + 1)::int) WHERE ${nodeAt(level, index)}`;

  it.each<[string, string[], number]>([
    // entries
    ['entry bytes edited', [`UPDATE ledger_entries SET data = overlay(data PLACING '\\x21'::bytea FROM 3) WHERE idx = 17`], 17],
    ['kind column edited', [`UPDATE ledger_entries SET kind = 'work.withdrawn' WHERE idx = 12`], 12],
    ['subject_id column edited (moves the entry to another work)', [`UPDATE ledger_entries SET subject_id = gen_random_uuid() WHERE idx = 9`], 9],
    ['integrated_at column edited', [`UPDATE ledger_entries SET integrated_at = integrated_at - interval '1 day' WHERE idx = 5`], 5],
    ['entry deleted', ['DELETE FROM ledger_entries WHERE idx = 4'], 4],
    ['entry moved to another index', ['UPDATE ledger_entries SET idx = 100 WHERE idx = 3'], 3],
    ['entry appended beyond the signed tree', [`INSERT INTO ledger_entries (idx, entry_id, kind, subject_id, data, integrated_at) SELECT 30, 999999, kind, subject_id, data, integrated_at FROM ledger_entries WHERE idx = 29`], 30],
    [
      'entry bytes and their leaf hash both rewritten',
      [
        `UPDATE ledger_entries SET data = convert_to(replace(convert_from(data, 'UTF8'), '"parties":[]', '"parties":[{"id":"x","role":"owner"}]'), 'UTF8') WHERE idx = 22`,
        `UPDATE ledger_node_runs SET hashes = overlay(hashes PLACING sha256('\\x00'::bytea || (SELECT data FROM ledger_entries WHERE idx = 22)) FROM ((22 - start_idx) * 32 + 1)::int) WHERE ${nodeAt(0, 22)}`,
      ],
      22,
    ],
    // tree node runs
    ['leaf hash edited', [flipNode(0, 11)], 11],
    ['inner node edited', [flipNode(2, 2)], 8],
    ['node run deleted', ['DELETE FROM ledger_node_runs WHERE level = 0 AND start_idx = 7'], 7],
    ['shadowing node run inserted', [`INSERT INTO ledger_node_runs (level, start_idx, hashes) VALUES (1, 5, '\\x${'ab'.repeat(32)}')`], 10],
    ['node run extended past the tree', [`UPDATE ledger_node_runs SET hashes = hashes || '\\x${'cd'.repeat(32)}'::bytea WHERE level = 0 AND start_idx = 28`], 30],
    ['node run inserted beyond the tree', [`INSERT INTO ledger_node_runs (level, start_idx, hashes) VALUES (0, 40, '\\x${'ab'.repeat(32)}')`], 40],
    ['node run shortened', [`UPDATE ledger_node_runs SET hashes = substring(hashes FROM 1 FOR length(hashes) - 32) WHERE level = 0 AND start_idx = 14`], 20],
    // checkpoints
    ['checkpoint note edited', [`UPDATE ledger_checkpoints SET note = replace(note, E'\\n14\\n', E'\\n15\\n') WHERE tree_size = 14`], 13],
    ['checkpoint root_hash column edited', [`UPDATE ledger_checkpoints SET root_hash = sha256(root_hash) WHERE tree_size = 21`], 20],
    ['checkpoint deleted between batches', ['DELETE FROM ledger_checkpoints WHERE tree_size = 14'], 13],
    ['forged checkpoint inserted', [`INSERT INTO ledger_checkpoints (tree_size, root_hash, note) VALUES (10, '\\x${'00'.repeat(32)}', '${forged.replace(/'/g, "''")}')`], 9],
    ['latest checkpoint deleted', ['DELETE FROM ledger_checkpoints WHERE tree_size = 30'], 28],
    ['checkpoint tree_size column edited', ['UPDATE ledger_checkpoints SET tree_size = 22 WHERE tree_size = 21'], 20],
  ])('%s: reported at index %#', async (_what, statements, expectedIndex) => {
    const copy = await copyOfLedger();
    await tamper(copy.pool, ...statements);
    await copy.pool.end();
    const result = await ledgerCheck(copy.url, checkEnv);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`TAMPERED at index ${expectedIndex}:`);
  });
});

describe('the API refuses proofs from an inconsistent tree', () => {
  let db: ScratchDatabase;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let vkey: string;
  let workIds: string[];
  let creator: { key: string; partyId: string };

  beforeAll(async () => {
    db = await createScratchDatabase(`tamper_api_${process.pid}`);
    app = await startRegistry({ DATABASE_URL: db.url });
    http = app.getHttpServer();
    creator = await issueKey(app, 'creator');
    vkey = (await request(http).get('/v1/ledger/key').expect(200)).text.trim();
    workIds = [];
    for (let i = 0; i < 6; i++) {
      const response = await request(http)
        .post('/v1/works')
        .set('Authorization', `Bearer ${creator.key}`)
        .send({ sha256: randomHash(), title: `Tamper ${i}`, type: 'other', authors: [{ name: 'T' }] })
        .expect(201);
      workIds.push(response.body.id);
    }
    // Then a bulk of entries integrated in few batches, so that some tree
    // sizes fall between checkpoints (proofs there go through a consistency proof).
    const before = await count(db.pool, 'ledger_entries');
    await enqueueMany(db.pool, 40);
    await waitFor(async () => (await count(db.pool, 'ledger_entries')) === before + 40);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const checkpoint = async () => openCheckpoint((await request(http).get('/v1/ledger/checkpoint').expect(200)).text, vkey);
  const entryData = async (index: number) => Buffer.from((await request(http).get('/v1/ledger/entries').query({ start: index, end: index + 1 }).expect(200)).body.entries[0].data, 'base64');
  const signedSizes = async () => (await db.pool.query('SELECT tree_size FROM ledger_checkpoints ORDER BY tree_size')).rows.map((r) => Number(r.tree_size));

  /** Every answer is either a proof that verifies against the signed checkpoint or 503 LEDGER_INCONSISTENT; returns how many were refused. */
  async function sweep(size: number, root: Uint8Array, leaves: Uint8Array[]): Promise<{ refused: number; servedInclusion: number[] }> {
    let refused = 0;
    const servedInclusion: number[] = [];
    for (let index = 0; index < size; index++) {
      const response = await request(http).get('/v1/ledger/proof/inclusion').query({ index, treeSize: size });
      if (response.status === 503) {
        expect(response.body.error.code).toBe('LEDGER_INCONSISTENT');
        refused++;
        continue;
      }
      expect(response.status).toBe(200);
      expect(verifyInclusion(leaves[index], index, size, response.body.hashes.map((h: string) => Buffer.from(h, 'base64')), root)).toBe(true);
      servedInclusion.push(index);
    }
    for (let from = 1; from < size; from += 3) {
      const response = await request(http).get('/v1/ledger/proof/consistency').query({ from, to: size });
      if (response.status === 503) {
        expect(response.body.error.code).toBe('LEDGER_INCONSISTENT');
        refused++;
        continue;
      }
      expect(response.status).toBe(200);
      const { merkleTreeHash } = await import('#ledger');
      expect(verifyConsistency(from, size, response.body.hashes.map((h: string) => Buffer.from(h, 'base64')), merkleTreeHash(leaves.slice(0, from)), root)).toBe(true);
    }
    return { refused, servedInclusion };
  }

  it('serves verifying proofs at and between checkpoints while the tree is intact', async () => {
    const cp = await checkpoint();
    const sizes = await signedSizes();
    const between = Array.from({ length: cp.size }, (_, i) => i + 1).find((n) => !sizes.includes(n))!;
    expect(between).toBeDefined();
    const leaves = await Promise.all(Array.from({ length: cp.size }, async (_, i) => leafHash(await entryData(i))));
    expect((await sweep(cp.size, cp.rootHash, leaves)).refused).toBe(0);
    // Between checkpoints the answer is still exactly the RFC 9162 proof.
    const { merkleTreeHash } = await import('#ledger');
    const rootBetween = merkleTreeHash(leaves.slice(0, between));
    const inclusion = await request(http).get('/v1/ledger/proof/inclusion').query({ index: between - 1, treeSize: between }).expect(200);
    expect(verifyInclusion(leaves[between - 1], between - 1, between, inclusion.body.hashes.map((h: string) => Buffer.from(h, 'base64')), rootBetween)).toBe(true);
    const consistency = await request(http).get('/v1/ledger/proof/consistency').query({ from: 1, to: between }).expect(200);
    expect(verifyConsistency(1, between, consistency.body.hashes.map((h: string) => Buffer.from(h, 'base64')), leaves[0], rootBetween)).toBe(true);
    await request(http).get(`/v1/works/${workIds[2]}`).set('Authorization', `Bearer ${creator.key}`).expect(200);
  });

  it('a tree node altered: every proof touching it is refused, every other one still verifies', async () => {
    const cp = await checkpoint();
    const leaves = await Promise.all(Array.from({ length: cp.size }, async (_, i) => leafHash(await entryData(i))));
    const target = 3;
    const statement = (hash: string) =>
      `UPDATE ledger_node_runs SET hashes = overlay(hashes PLACING ${hash} FROM ((${target} - start_idx) * 32 + 1)::int) WHERE level = 0 AND start_idx <= ${target} AND start_idx + length(hashes) / 32 > ${target}`;
    await tamper(db.pool, statement(`'\\x${'ee'.repeat(32)}'::bytea`));
    try {
      const { refused, servedInclusion } = await sweep(cp.size, cp.rootHash, leaves);
      expect(refused).toBeGreaterThan(0);
      // The tampered leaf's sibling needs it in its proof: refused.
      expect(servedInclusion).not.toContain(2);
      // A proof bundle for the work whose registration sits next to it is refused too.
      const bundle = await request(http).get(`/v1/works/${workIds[2]}`).set('Authorization', `Bearer ${creator.key}`);
      expect([200, 503]).toContain(bundle.status);
    } finally {
      await tamper(db.pool, statement(`sha256('\\x00'::bytea || (SELECT data FROM ledger_entries WHERE idx = ${target}))`));
    }
    expect((await sweep(cp.size, cp.rootHash, leaves)).refused).toBe(0);
  });

  it('an entry altered: its proofs and its work are refused', async () => {
    const work = await request(http).get(`/v1/works/${workIds[1]}`).set('Authorization', `Bearer ${creator.key}`).expect(200);
    const index = work.body.ledgerIndex as number;
    const original = await entryData(index);
    await tamper(db.pool, `UPDATE ledger_entries SET data = convert_to(replace(convert_from(data, 'UTF8'), '"parties":[', '"parties":[{"id":"x","role":"owner"},'), 'UTF8') WHERE idx = ${index}`);
    try {
      const cp = await checkpoint();
      const proof = await request(http).get('/v1/ledger/proof/inclusion').query({ index, treeSize: cp.size }).expect(503);
      expect(proof.body.error.code).toBe('LEDGER_INCONSISTENT');
      const refused = await request(http).get(`/v1/works/${workIds[1]}`).set('Authorization', `Bearer ${creator.key}`).expect(503);
      expect(refused.body.error.code).toBe('LEDGER_INCONSISTENT');
      await request(http).get(`/v1/works/${workIds[1]}/certificate`).set('Authorization', `Bearer ${creator.key}`).expect(503);
      await request(http).get(`/v1/verify/works/${workIds[1]}`).expect(503);
      // Asked at the same moment (so their proofs are read together), the other works keep theirs.
      const together = await Promise.all(workIds.map((id) => request(http).get(`/v1/works/${id}`).set('Authorization', `Bearer ${creator.key}`)));
      expect(together.map((r) => r.status)).toEqual(workIds.map((_, i) => (i === 1 ? 503 : 200)));
      for (const r of together.filter((r) => r.status === 200)) expect(r.body.proofStatus).toBe('integrated');
      // Nothing internal leaks in the refusal.
      expect(JSON.stringify(refused.body)).not.toMatch(/node|idx|SELECT/i);
    } finally {
      await tamper(db.pool, `UPDATE ledger_entries SET data = '\\x${original.toString('hex')}'::bytea WHERE idx = ${index}`);
    }
    await request(http).get(`/v1/works/${workIds[1]}`).set('Authorization', `Bearer ${creator.key}`).expect(200);
  });

  it('an entry moved to another subject: the history of either work is refused', async () => {
    const work = await request(http).get(`/v1/works/${workIds[4]}`).set('Authorization', `Bearer ${creator.key}`).expect(200);
    const index = work.body.ledgerIndex as number;
    await tamper(db.pool, `UPDATE ledger_entries SET subject_id = '${workIds[5]}' WHERE idx = ${index}`);
    try {
      const history = await request(http).get(`/v1/works/${workIds[5]}/history`).set('Authorization', `Bearer ${creator.key}`).expect(503);
      expect(history.body.error.code).toBe('LEDGER_INCONSISTENT');
    } finally {
      await tamper(db.pool, `UPDATE ledger_entries SET subject_id = '${workIds[4]}' WHERE idx = ${index}`);
    }
    await request(http).get(`/v1/works/${workIds[5]}/history`).set('Authorization', `Bearer ${creator.key}`).expect(200);
  });

  it('a checkpoint altered: proofs against it are refused', async () => {
    const cp = await checkpoint();
    const sizes = await signedSizes();
    const older = sizes[sizes.length - 2];
    const original: Buffer = (await db.pool.query('SELECT root_hash FROM ledger_checkpoints WHERE tree_size = $1', [older])).rows[0].root_hash;
    await tamper(db.pool, `UPDATE ledger_checkpoints SET root_hash = sha256(root_hash) WHERE tree_size = ${older}`);
    try {
      const response = await request(http).get('/v1/ledger/proof/inclusion').query({ index: 0, treeSize: older }).expect(503);
      expect(response.body.error.code).toBe('LEDGER_INCONSISTENT');
      await request(http).get('/v1/ledger/proof/consistency').query({ from: 1, to: older }).expect(503);
      // Proofs against the intact latest checkpoint are still served.
      await request(http).get('/v1/ledger/proof/inclusion').query({ index: 0, treeSize: cp.size }).expect(200);
    } finally {
      await tamper(db.pool, `UPDATE ledger_checkpoints SET root_hash = '\\x${original.toString('hex')}'::bytea WHERE tree_size = ${older}`);
    }
    await request(http).get('/v1/ledger/proof/inclusion').query({ index: 0, treeSize: older }).expect(200);
  });
});
