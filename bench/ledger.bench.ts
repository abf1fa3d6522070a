// `npm run bench:ledger`: the ledger's speed figures, each beside a peer
// measured in the same run on the same machine.
//  1. Registration over HTTP (hash-only JSON, 64 connections, autocannon)
//     against pgbench inserting one comparable row per transaction, 64 clients.
//  2. In-process ledger appends in batches of 1,000 against hypercore.
//  3. Inclusion and consistency proof generation at 1,000,000 entries.
//  4. Upload hashing against node:crypto, and RSS growth uploading 1 GiB.
// Sizes can be cut for a quick look: BENCH_SECONDS, BENCH_PROOF_ENTRIES, BENCH_UPLOAD_MIB.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { BlobStore, hashingMeter } from '#blob-store';
import { canonicalBytes, createNoteSigner, verifierKey, type PendingEntry } from '#ledger';
import { LedgerAppender, LedgerReader, preparedSqlOf, SEQUENCER_LOCK_ID, sqlOf } from '#ledger-store';
import { createBenchDatabase, fmt, issueKey, percentile, rssOf, startAppProcess } from './support/bench-env.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PROOF_ENTRIES = Number(process.env.BENCH_PROOF_ENTRIES ?? 1_000_000);
const UPLOAD_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 1024);
const BATCH = 1000;

const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

function pendingEntry(i: number): PendingEntry {
  return {
    kind: 'work.registered',
    subject: { type: 'work', id: randomUUID() },
    workSha256: createHash('sha256').update(String(i)).digest('hex'),
    metadataHash: createHash('sha256').update(`m${i}`).digest('hex'),
    parties: [{ role: 'registrant', id: randomUUID() }],
    refs: { registrationNumber: `CR-2026-${String(i).padStart(8, '0')}` },
  };
}

async function registrationOverHttp(): Promise<void> {
  console.log('\n1. Registration over HTTP vs pgbench (64 connections each)');
  const db = await createBenchDatabase('ledger_http');
  const registry = await startAppProcess('registry', db.url);
  try {
    const creator = await issueKey(registry.url, 'creator');
    const requestFor = () => ({
      method: 'POST' as const,
      path: '/v1/works',
      headers: { authorization: `Bearer ${creator.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sha256: randomBytes(32).toString('hex'), title: 'Bench work', type: 'text', authors: [{ name: 'Bench' }] }),
    });
    const load = (duration: number) =>
      autocannon({ url: registry.url, connections: 64, duration, requests: [{ setupRequest: (req) => ({ ...req, ...requestFor() }) }] });
    await load(3); // warm-up
    const result = await load(SECONDS);
    const ok = result['2xx'];
    const perSecond = ok / (result.duration || SECONDS);
    const statuses = result.statusCodeStats as unknown as Record<string, { count: number }>;
    // The HTTP stack's own ceiling here: the same authenticated POST, refused by
    // validation before any database work (what no registration can beat).
    const refusedBody = JSON.stringify({ sha256: 'not-a-hash', title: 'Bench work', type: 'text', authors: [{ name: 'Bench' }] });
    const floor = await autocannon({
      url: registry.url,
      connections: 64,
      duration: Math.min(SECONDS, 5),
      requests: [{ method: 'POST', path: '/v1/works', headers: { authorization: `Bearer ${creator.key}`, 'content-type': 'application/json' }, body: refusedBody }],
    });
    const floorPerSecond = floor['4xx'] / (floor.duration || Math.min(SECONDS, 5));

    // The registry's pools are released first so pgbench gets its 64 connections.
    await registry.stop();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE TABLE bench_registration (id bigserial PRIMARY KEY, sha256 bytea NOT NULL, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await admin.end();
    const script = path.join(os.tmpdir(), `bench-ledger-${process.pid}.sql`);
    fs.writeFileSync(script, `INSERT INTO bench_registration (sha256, title) VALUES (sha256(random()::text::bytea), 'Bench work');\n`);
    const pgbenchOut = execFileSync('pgbench', ['-n', '-c', '64', '-j', '2', '-T', String(SECONDS), '-f', script, db.url], { encoding: 'utf8' });
    const pgbenchTps = Number(/tps = ([\d.]+)/.exec(pgbenchOut)![1]);

    line('registrations/s (2xx, proof integrated or 202)', fmt(perSecond));
    line('status counts', Object.entries(statuses).map(([code, s]) => `${code}: ${s.count}`).join(', '));
    line('time to integrated proof p50 / p99 (ms)', `${fmt(result.latency.p50, 1)} / ${fmt(result.latency.p99, 1)}`);
    line('pgbench one-row transactions/s', fmt(pgbenchTps));
    line('ratio registrations / pgbench (target >= 1.0)', fmt(perSecond / pgbenchTps, 2));
    line('HTTP ceiling: same POST refused by validation, /s', fmt(floorPerSecond));
    line('ratio HTTP ceiling / pgbench', fmt(floorPerSecond / pgbenchTps, 2));
  } finally {
    await registry.stop();
    await db.drop();
  }
}

async function appendsAndProofs(): Promise<void> {
  console.log(`\n2. In-process appends in batches of ${BATCH} vs hypercore`);
  const db = await createBenchDatabase('ledger_append');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const sql = sqlOf(client);
  await sql('SELECT pg_advisory_lock($1)', [SEQUENCER_LOCK_ID]);
  const signer = createNoteSigner('bench', randomBytes(32));
  const appender = await LedgerAppender.load(sql, signer, 'bench/ledger');
  const hypercoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-hypercore-'));
  try {
    const batchAt = (from: number) => Array.from({ length: BATCH }, (_, i) => ({ entryId: String(from + i + 1), body: pendingEntry(from + i) }));
    function* batchesFrom(from: number, count: number) {
      for (let b = 0; b < count; b++) yield batchAt(from + b * BATCH);
    }
    const COMPARE = 100; // batches compared with hypercore
    // As the sequencer appends: one batch, then the next.
    let t = performance.now();
    for (let b = 0; b < COMPARE; b++) await appender.append(sql, batchAt(b * BATCH));
    const oneAtATimePerSecond = (COMPARE * BATCH) / ((performance.now() - t) / 1000);
    // The bulk path: each batch still its own atomic write with its own checkpoint,
    // the next one encoded and hashed while the database writes the one before.
    t = performance.now();
    await appender.appendAll(sql, batchesFrom(appender.size, COMPARE));
    const oursPerSecond = (COMPARE * BATCH) / ((performance.now() - t) / 1000);

    const { default: Hypercore } = await import('hypercore');
    const core = new Hypercore(hypercoreDir);
    await core.ready();
    t = performance.now();
    for (let b = 0; b < COMPARE; b++) {
      await core.append(Array.from({ length: BATCH }, (_, i) => Buffer.from(canonicalBytes({ v: 1, ...pendingEntry(b * BATCH + i), integratedAt: new Date().toISOString() }))));
    }
    const hypercorePerSecond = (COMPARE * BATCH) / ((performance.now() - t) / 1000);
    await core.close();
    line('ledger appends/s, one batch at a time', fmt(oneAtATimePerSecond));
    line('ledger appends/s, appendAll (bulk path)', fmt(oursPerSecond));
    line('hypercore appends/s', fmt(hypercorePerSecond));
    line('ratio one batch at a time / hypercore', fmt(oneAtATimePerSecond / hypercorePerSecond, 2));
    line('ratio appendAll / hypercore (target >= 1.0)', fmt(oursPerSecond / hypercorePerSecond, 2));

    console.log(`\n3. Proof generation at ${fmt(PROOF_ENTRIES)} entries`);
    t = performance.now();
    await appender.appendAll(sql, batchesFrom(appender.size, Math.max(0, Math.ceil((PROOF_ENTRIES - appender.size) / BATCH))));
    line('built to size in (s)', fmt((performance.now() - t) / 1000, 1));
    const [{ bytes }] = await sql<{ bytes: string }>(
      `SELECT pg_total_relation_size('ledger_entries') + pg_total_relation_size('ledger_node_runs') + pg_total_relation_size('ledger_checkpoints') AS bytes`,
    );
    line('storage bytes per entry (entries+nodes+checkpoints)', fmt(Number(bytes) / appender.size));

    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    // As the registry serves them: prepared statements, checkpoints checked against the key.
    const reader = new LedgerReader(preparedSqlOf(pool), { verifierKey: verifierKey(signer) });
    const size = appender.size;
    const time = async (run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const s = performance.now();
        await run();
        samples.push(performance.now() - s);
      }
      return samples.sort((a, b) => a - b);
    };
    const random = (n: number) => Math.floor(Math.random() * n);
    const inclusion = await time(() => reader.inclusionProof(random(size), size));
    const consistency = await time(() => reader.consistencyProof(1 + random(size - 1), size));
    await pool.end();
    line('inclusion proof p50 / p99 (ms, target p99 < 5)', `${fmt(percentile(inclusion, 50), 2)} / ${fmt(percentile(inclusion, 99), 2)}`);
    line('consistency proof p50 / p99 (ms, target p99 < 5)', `${fmt(percentile(consistency, 50), 2)} / ${fmt(percentile(consistency, 99), 2)}`);
  } finally {
    await client.end();
    fs.rmSync(hypercoreDir, { recursive: true, force: true });
    await db.drop();
  }
}

/** A stream of `mib` MiB from one random 1 MiB block, produced on demand. */
function generated(mib: number): Readable {
  const block = randomBytes(1024 * 1024);
  let sent = 0;
  return new Readable({
    read() {
      this.push(sent++ < mib ? block : null);
    },
  });
}

async function uploads(): Promise<void> {
  console.log(`\n4. Upload hashing (${UPLOAD_MIB} MiB)`);
  const bytes = UPLOAD_MIB * 1024 * 1024;
  const block = randomBytes(1024 * 1024);
  let t = performance.now();
  const raw = createHash('sha256');
  for (let i = 0; i < UPLOAD_MIB; i++) raw.update(block);
  raw.digest();
  const rawRate = bytes / ((performance.now() - t) / 1000);
  t = performance.now();
  const noble = nobleSha256.create();
  for (let i = 0; i < Math.min(UPLOAD_MIB, 256); i++) noble.update(block);
  noble.digest();
  const nobleRate = (Math.min(UPLOAD_MIB, 256) * 1024 * 1024) / ((performance.now() - t) / 1000);

  // The upload path's own hashing (the meter every upload streams through), into a sink that keeps nothing.
  t = performance.now();
  const meter = hashingMeter(bytes + 1);
  await pipeline(generated(UPLOAD_MIB), meter, new Writable({ write: (_chunk, _encoding, done) => done() }));
  meter.result();
  const meterRate = bytes / ((performance.now() - t) / 1000);

  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-blobs-'));
  t = performance.now();
  await new BlobStore(storeDir).put(generated(UPLOAD_MIB), bytes + 1);
  const storeRate = bytes / ((performance.now() - t) / 1000);
  fs.rmSync(storeDir, { recursive: true, force: true });
  const mb = (rate: number) => `${fmt(rate / 1e6)} MB/s`;
  line('node:crypto SHA-256 (in memory)', mb(rawRate));
  line('@noble/hashes SHA-256 (in memory)', mb(nobleRate));
  line('upload hashing: stream -> SHA-256 meter', mb(meterRate));
  line('ratio upload hashing / node:crypto (target >= 0.8)', fmt(meterRate / rawRate, 2));
  line('blob store put: stream -> SHA-256 -> disk', mb(storeRate));
  line('ratio blob store put / node:crypto (disk write included)', fmt(storeRate / rawRate, 2));

  const db = await createBenchDatabase('ledger_upload');
  const registry = await startAppProcess('registry', db.url, { MAX_UPLOAD_BYTES: `${UPLOAD_MIB + 16}M` });
  try {
    const creator = await issueKey(registry.url, 'creator');
    const boundary = `bench${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n` +
        JSON.stringify({ title: 'Big upload', type: 'video', authors: [{ name: 'Bench' }] }) +
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const baseline = rssOf(registry.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(registry.pid))), 25);
    t = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${registry.url}/v1/works`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${creator.key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + bytes + tail.length,
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write(head);
      const body = generated(UPLOAD_MIB);
      body.on('end', () => req.end(tail));
      body.pipe(req, { end: false });
    });
    clearInterval(sampler);
    const httpRate = bytes / ((performance.now() - t) / 1000);
    line('HTTP upload end to end (status ' + status + ')', mb(httpRate));
    line('registry peak RSS growth (target < 100 MB)', `${fmt((peak - baseline) / 1e6, 1)} MB`);
  } finally {
    await registry.stop();
    await db.drop();
  }
}

console.log(`bench:ledger on ${os.cpus().length} cores, node ${process.version}`);
await registrationOverHttp();
await appendsAndProofs();
await uploads();
