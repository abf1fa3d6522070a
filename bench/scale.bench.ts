// `npm run bench:scale` (issue 6): the service at scale.
//  1. A ledger of BENCH_SCALE_ENTRIES entries (default 10,000,000) built
//     through the library's batch path (LedgerAppender, batches of 1,000, on a
//     connection holding the sequencer lock, as the sequencer does): entries
//     per second, storage bytes per entry, and inclusion and consistency proof
//     latency at that size (target p99 < 5 ms), through the same checked
//     LedgerReader the API uses (every proof is verified against the signed
//     checkpoint before it is returned), and through HTTP.
//  2. A mixed load through HTTP for BENCH_SCALE_SECONDS (default 300) on real
//     registry, exchange and worker processes: registrations, searches,
//     purchases, sightings and public lookups, with throughput and p50/p99 per
//     endpoint; then the invariants: ledger:check passes, reconciliation is
//     exact, every queued scan is done (outbox empty, queues drained).
// BENCH_SCALE_PARTS=ledger or =http runs one part; BENCH_SCALE_KEEP=1 keeps
// the ledger database (bench_scale_ledger_<pid>) for a look afterwards.
import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import pg from 'pg';
import { createNoteSigner, verifierKey, type PendingEntry } from '#ledger';
import { LedgerAppender, LedgerReader, preparedSqlOf, SEQUENCER_LOCK_ID, sqlOf } from '#ledger-store';
import { QueueName } from '#queue';
import { ADMIN_KEY, createBenchDatabase, fmt, percentile, REDIS_URL, startAppProcess, type BenchDatabase, type RunningApp } from './support/bench-env.js';

const ENTRIES = Number(process.env.BENCH_SCALE_ENTRIES ?? 10_000_000);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 300);
const PARTS = (process.env.BENCH_SCALE_PARTS ?? 'ledger,http').split(',');
const KEEP = process.env.BENCH_SCALE_KEEP === '1';
const BATCH = 1000;
const PROOF_SAMPLES = 5000;
const run = promisify(execFile);

const line = (label: string, value: string) => console.log(`  ${label.padEnd(58)} ${value}`);
const ms = (sorted: number[]) => `${fmt(percentile(sorted, 50), 2)} / ${fmt(percentile(sorted, 99), 2)} / ${fmt(sorted[sorted.length - 1] ?? NaN, 2)}`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

function pendingEntry(i: number): PendingEntry {
  return {
    kind: 'work.registered',
    subject: { type: 'work', id: randomUUID() },
    workSha256: createHash('sha256').update(String(i)).digest('hex'),
    metadataHash: createHash('sha256').update(`m${i}`).digest('hex'),
    parties: [{ role: 'registrant', id: randomUUID() }, { role: 'owner', id: randomUUID(), shareBp: 10_000 }],
    refs: { registrationNumber: `CR-2026-${String(i).padStart(8, '0')}`, timeStamp: createHash('sha256').update(`t${i}`).digest('hex') },
  };
}

async function timed(samples: number, run: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run(i);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

/** Free bytes where PostgreSQL keeps its data (refuses to start a build that cannot fit). */
async function freeBytesForDatabase(client: pg.Client): Promise<number | undefined> {
  try {
    const [{ data_directory }] = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows;
    const stats = await fs.promises.statfs(data_directory);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- part 1

async function ledgerAtScale(): Promise<void> {
  console.log(`\n1. Ledger of ${fmt(ENTRIES)} entries through LedgerAppender (batches of ${BATCH})`);
  const db = await createBenchDatabase('scale_ledger');
  const client = new pg.Client({ connectionString: db.url, application_name: 'bench-scale-appender' });
  await client.connect();
  const free = await freeBytesForDatabase(client);
  const estimate = ENTRIES * 900;
  line('free disk where PostgreSQL keeps data / estimate needed', free === undefined ? 'unknown' : `${fmt(free / 1e9, 1)} GB / ${fmt(estimate / 1e9, 1)} GB`);
  if (free !== undefined && free < estimate) {
    await client.end();
    await db.drop();
    throw new Error(`not enough disk for ${ENTRIES} entries; set BENCH_SCALE_ENTRIES lower`);
  }
  const seed = randomBytes(32);
  const signer = createNoteSigner('bench-scale', seed);
  const sql = sqlOf(client);
  let appender: LedgerAppender;
  try {
    await sql('SELECT pg_advisory_lock($1)', [SEQUENCER_LOCK_ID]);
    appender = await LedgerAppender.load(sql, signer, 'bench/scale');
    const start = performance.now();
    let lastReport = start;
    let lastSize = 0;
    // The library's bulk path: each batch its own atomic write with a signed
    // checkpoint, the next one prepared while the database writes the last.
    function* batches() {
      for (let from = 0; from < ENTRIES; from += BATCH) {
        if (performance.now() - lastReport > 30_000) {
          const now = performance.now();
          console.log(`    ${fmt(from).padStart(12)} entries, ${fmt(((from - lastSize) * 1000) / (now - lastReport)).padStart(7)} entries/s now, ${fmt((now - start) / 1000)} s so far`);
          lastReport = now;
          lastSize = from;
        }
        yield Array.from({ length: Math.min(BATCH, ENTRIES - from) }, (_, i) => ({ entryId: String(from + i + 1), body: pendingEntry(from + i) }));
      }
    }
    await appender.appendAll(sql, batches());
    const seconds = (performance.now() - start) / 1000;
    line('built in (s)', fmt(seconds, 1));
    line('entries/s (append, sign a checkpoint per batch, commit)', fmt(ENTRIES / seconds));
  } catch (error) {
    await client.end();
    if (!KEEP) await db.drop();
    throw error;
  }
  await client.end();

  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('VACUUM ANALYZE ledger_entries, ledger_node_runs, ledger_checkpoints');
  const [sizes] = (
    await admin.query<{ entries: string; nodes: string; checkpoints: string; runs: string; data: string }>(
      `SELECT pg_total_relation_size('ledger_entries') AS entries, pg_total_relation_size('ledger_node_runs') AS nodes,
              pg_total_relation_size('ledger_checkpoints') AS checkpoints, (SELECT count(*) FROM ledger_node_runs) AS runs,
              (SELECT sum(length(data)) FROM ledger_entries WHERE idx < 100000) AS data`,
    )
  ).rows;
  const total = Number(sizes.entries) + Number(sizes.nodes) + Number(sizes.checkpoints);
  line('storage bytes per entry: total (entries + nodes + checkpoints)', fmt(total / ENTRIES));
  line('  entries (rows, indexes, TOAST) / tree node runs / checkpoints', `${fmt(Number(sizes.entries) / ENTRIES)} / ${fmt(Number(sizes.nodes) / ENTRIES)} / ${fmt(Number(sizes.checkpoints) / ENTRIES)}`);
  line('  of which canonical entry bytes (mean)', fmt(Number(sizes.data) / Math.min(ENTRIES, 100_000)));
  line('  node run rows', fmt(Number(sizes.runs)));
  line('total on disk (GB)', fmt(total / 1e9, 2));
  await admin.end();

  // Proofs through the checked reader, as the API serves them.
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  // As the apps read: prepared statements on a pool, every proof checked against its signed checkpoint.
  const reader = new LedgerReader(preparedSqlOf(pool), { verifierKey: verifierKey(signer) });
  const size = ENTRIES;
  const random = (n: number) => Math.floor(Math.random() * n);
  // Warm the connections and the signature cache, as a running API is.
  for (let i = 0; i < 200; i++) await reader.inclusionProof(random(size), size);
  console.log(`\n  proof latency at ${fmt(size)} entries, ${fmt(PROOF_SAMPLES)} samples each, p50 / p99 / max ms (target p99 < 5):`);
  line('inclusion, at the latest checkpoint', ms(await timed(PROOF_SAMPLES, () => reader.inclusionProof(random(size), size))));
  line('inclusion, at a checkpointed older size', ms(await timed(PROOF_SAMPLES, () => {
    const treeSize = (1 + random(size / BATCH)) * BATCH;
    return reader.inclusionProof(random(treeSize), treeSize);
  })));
  line('inclusion, at a size between checkpoints', ms(await timed(PROOF_SAMPLES, () => {
    const treeSize = 1 + random(size - 1);
    return reader.inclusionProof(random(treeSize), treeSize);
  })));
  line('consistency, any size to the latest checkpoint', ms(await timed(PROOF_SAMPLES, () => reader.consistencyProof(1 + random(size - 1), size))));
  line('consistency, between two sizes between checkpoints', ms(await timed(PROOF_SAMPLES, () => {
    const to = 2 + random(size - 2);
    return reader.consistencyProof(1 + random(to - 1), to);
  })));
  await pool.end();

  // The same through HTTP, on a registry process (its own event loop, keep-alive connection).
  const registry = await startAppProcess('registry', db.url, { LEDGER_SIGNING_KEY: seed.toString('base64'), LEDGER_KEY_NAME: 'bench-scale', LEDGER_ORIGIN: 'bench/scale', LOG_LEVEL: 'error' });
  try {
    const get = async (route: string) => {
      const response = await fetch(`${registry.url}${route}`);
      if (response.status !== 200) throw new Error(`${route}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    for (let i = 0; i < 200; i++) await get(`/v1/ledger/proof/inclusion?index=${random(size)}&treeSize=${size}`);
    line('HTTP GET /v1/ledger/proof/inclusion (latest)', ms(await timed(PROOF_SAMPLES, () => get(`/v1/ledger/proof/inclusion?index=${random(size)}&treeSize=${size}`))));
    line('HTTP GET /v1/ledger/proof/consistency (to latest)', ms(await timed(PROOF_SAMPLES, () => get(`/v1/ledger/proof/consistency?from=${1 + random(size - 1)}&to=${size}`))));
  } finally {
    await registry.stop();
  }

  // ledger:check over the whole ledger: how long an audit takes at this size.
  const checkStart = performance.now();
  const check = await ledgerCheck(db.url, { LEDGER_SIGNING_KEY: seed.toString('base64'), LEDGER_KEY_NAME: 'bench-scale' });
  line('npm run ledger:check over the whole ledger', `${check.ok ? 'OK' : 'FAILED'} in ${fmt((performance.now() - checkStart) / 1000, 1)} s`);
  if (!check.ok) console.log(check.output);
  if (KEEP) console.log(`  kept database ${db.name}`);
  else await db.drop();
}

async function ledgerCheck(databaseUrl: string, env: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const script = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../apps/cli/src/ledger-check.js');
  try {
    const { stdout } = await run(process.execPath, [script], { env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

// ---------------------------------------------------------------- part 2

interface Stat {
  latencies: number[];
  statuses: Map<number, number>;
}

class Recorder {
  readonly stats = new Map<string, Stat>();

  record(name: string, status: number, latencyMs: number): void {
    let stat = this.stats.get(name);
    if (!stat) this.stats.set(name, (stat = { latencies: [], statuses: new Map() }));
    stat.latencies.push(latencyMs);
    stat.statuses.set(status, (stat.statuses.get(status) ?? 0) + 1);
  }
}

interface Party {
  key: string;
  partyId: string;
}

async function api(base: string, method: string, route: string, key: string | undefined, body?: unknown): Promise<{ status: number; json: () => unknown }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: () => JSON.parse(text) };
}

const TERMS = { rights: ['reproduction', 'information_network_dissemination'], exclusive: false, territories: ['CN'], media: ['online'], period: { start: '2026-01-01', end: '2027-01-01' }, sublicensable: false };
const WORDS = ['春江', '花月', '夜', 'moon', 'river', 'night', 'song', '静夜思', 'lantern', 'mountain', 'poem', 'ink'];

async function mixedLoad(): Promise<void> {
  console.log(`\n2. Mixed load over HTTP for ${SECONDS} s (registry, exchange and worker processes on one PostgreSQL and Redis)`);
  const db: BenchDatabase = await createBenchDatabase('scale_http');
  const seed = randomBytes(32).toString('base64');
  const queuePrefix = `{bench${process.pid}}`;
  // One data directory for all three (uploads and sightings the worker reads, TSA credentials).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-data-'));
  const env = { LEDGER_SIGNING_KEY: seed, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: 'warn', DATA_DIR: dataDir };
  const apps: RunningApp[] = [];
  try {
    const registry = await startAppProcess('registry', db.url, env);
    apps.push(registry);
    const exchange = await startAppProcess('exchange', db.url, env);
    apps.push(exchange);
    const worker = await startAppProcess('worker', db.url, env);
    apps.push(worker);

    const issue = async (role: string, name: string): Promise<Party> => {
      const answer = await api(registry.url, 'POST', '/v1/admin/api-keys', ADMIN_KEY, { role, party: { name, contact: 'bench@example.com' } });
      if (answer.status !== 201) throw new Error(`cannot issue a key: ${answer.status}`);
      return answer.json() as Party;
    };
    const creators = await Promise.all(Array.from({ length: 24 }, (_, i) => issue('creator', `Creator ${i}`)));
    const buyers = await Promise.all(Array.from({ length: 16 }, (_, i) => issue('creator', `Buyer ${i}`)));
    const officer = await issue('officer', 'Officer');
    const operator = await issue('exchange', 'Operator');
    for (const buyer of buyers) {
      const answer = await api(exchange.url, 'POST', '/v1/deposits', operator.key, { partyId: buyer.partyId, amount: '1000000000', externalRef: `BENCH-${randomUUID()}` });
      if (answer.status !== 201) throw new Error(`deposit failed: ${answer.status}`);
    }
    // Listings to buy from: non-exclusive licences stay on sale after each purchase.
    const listings: string[] = [];
    for (const creator of creators) {
      const work = await api(registry.url, 'POST', '/v1/works', creator.key, { sha256: randomBytes(32).toString('hex'), title: 'Listed work', type: 'image', authors: [{ name: 'Bench' }] });
      const listing = await api(exchange.url, 'POST', '/v1/listings', creator.key, { workId: (work.json() as { id: string }).id, kind: 'licence', terms: TERMS, price: '1000' });
      if (listing.status !== 201) throw new Error(`listing failed: ${listing.status}`);
      listings.push((listing.json() as { id: string }).id);
    }
    const registeredHashes: string[] = [];
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
    const text = () => Array.from({ length: 40 }, () => pick(WORDS)).join(' ');

    // The mix: name, weight, request.
    const ops: Array<[string, number, () => Promise<number>]> = [
      ['POST /v1/works (register, hash only)', 30, async () => {
        const sha256 = randomBytes(32).toString('hex');
        const answer = await api(registry.url, 'POST', '/v1/works', pick(creators).key, { sha256, title: `${pick(WORDS)} ${pick(WORDS)}`, type: 'text', authors: [{ name: 'Bench' }] });
        if (answer.status < 300 && registeredHashes.length < 100_000) registeredHashes.push(sha256);
        return answer.status;
      }],
      ['GET /v1/works?q= (search)', 20, async () => (await api(registry.url, 'GET', `/v1/works?q=${encodeURIComponent(pick(WORDS))}&limit=20`, pick(creators).key)).status],
      ['GET /v1/works?owner= (search)', 10, async () => (await api(registry.url, 'GET', `/v1/works?owner=${pick(creators).partyId}&limit=20`, pick(buyers).key)).status],
      ['POST /v1/listings/:id/purchase', 15, async () => (await api(exchange.url, 'POST', `/v1/listings/${pick(listings)}/purchase`, pick(buyers).key)).status],
      ['POST /v1/sightings (text)', 10, async () =>
        (await api(registry.url, 'POST', '/v1/sightings', officer.key, { sourceUrl: `https://video.example.com/${randomUUID()}`, platform: 'Example', seenAt: '2026-05-01T08:00:00Z', text: text() })).status],
      ['GET /v1/verify/works?sha256= (public)', 10, async () =>
        (await api(registry.url, 'GET', `/v1/verify/works?sha256=${registeredHashes.length ? pick(registeredHashes) : randomBytes(32).toString('hex')}`, undefined)).status],
      ['GET /v1/licences/verify (public)', 5, async () =>
        (await api(exchange.url, 'GET', `/v1/licences/verify?work=${randomUUID()}&licensee=${pick(buyers).partyId}&right=reproduction&territory=CN&media=online`, undefined)).status],
    ];
    const totalWeight = ops.reduce((sum, [, weight]) => sum + weight, 0);
    const choose = () => {
      let r = Math.random() * totalWeight;
      for (const op of ops) if ((r -= op[1]) < 0) return op;
      return ops[0]!;
    };

    const recorder = new Recorder();
    const concurrency = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 48);
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    let errors = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const [name, , op] = choose();
          const start = performance.now();
          let status = 0;
          try {
            status = await op();
          } catch {
            errors++;
          }
          recorder.record(name, status, performance.now() - start);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    let total = 0;
    console.log(`\n  ${'endpoint'.padEnd(40)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}   statuses`);
    for (const [name, stat] of [...recorder.stats.entries()].sort()) {
      const sorted = stat.latencies.sort((a, b) => a - b);
      total += sorted.length;
      const statuses = [...stat.statuses.entries()].sort().map(([s, n]) => `${s}:${n}`).join(' ');
      console.log(`  ${name.padEnd(40)} ${fmt(sorted.length / elapsed, 1).padStart(8)} ${fmt(percentile(sorted, 50), 1).padStart(8)} ${fmt(percentile(sorted, 99), 1).padStart(8)}   ${statuses}`);
    }
    line(`\n  all requests (${concurrency} concurrent clients)`, `${fmt(total / elapsed, 1)} req/s, ${errors} transport errors`);

    // Invariants, after the load.
    console.log('\n  after the load:');
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const count = async (q: string) => Number((await pool.query(q)).rows[0].n);
    const queues = Object.values(QueueName).map((name) => new Queue(name, { connection: { url: REDIS_URL }, prefix: queuePrefix }));
    const drainStart = performance.now();
    let pendingScans = Infinity;
    let waiting = { outbox: 0, ledgerQueue: 0 };
    // Every registered work and reported sighting gets its fingerprint row once scanned.
    const scans = async () =>
      (await count(`SELECT to_regclass('content_fingerprints') IS NOT NULL AS n`))
        ? { subjects: await count('SELECT (SELECT count(*) FROM works) + (SELECT count(*) FROM sightings) AS n'), scanned: await count('SELECT count(*) AS n FROM content_fingerprints') }
        : undefined;
    let scanned = await scans();
    while (performance.now() - drainStart < 15 * 60_000) {
      waiting = { outbox: await count('SELECT count(*) AS n FROM outbox'), ledgerQueue: await count('SELECT count(*) AS n FROM ledger_queue') };
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')));
      pendingScans = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
      scanned = await scans();
      if (pendingScans === 0 && waiting.outbox === 0 && waiting.ledgerQueue === 0 && (!scanned || scanned.scanned >= scanned.subjects)) break;
      await sleep(1000);
    }
    const failed = (await Promise.all(queues.map((q) => q.getJobCounts('failed')))).reduce((sum, c) => sum + (c.failed ?? 0), 0);
    const done = waiting.outbox === 0 && pendingScans === 0 && failed === 0 && (!scanned || scanned.scanned >= scanned.subjects);
    line(
      'every queued scan done (outbox, BullMQ queues, fingerprints)',
      `${done ? 'yes' : 'NO'}: outbox ${waiting.outbox}, queued jobs ${pendingScans}, failed jobs ${failed}` +
        (scanned ? `, ${fmt(scanned.scanned)} of ${fmt(scanned.subjects)} works and sightings fingerprinted` : '') +
        `; drained ${fmt((performance.now() - drainStart) / 1000, 1)} s after the load`,
    );
    line('ledger queue integrated', `${waiting.ledgerQueue === 0 ? 'yes' : 'NO'} (${waiting.ledgerQueue} waiting); ${fmt(await count('SELECT count(*) AS n FROM ledger_entries'))} entries`);
    await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
    await pool.end();
    const reconciliation = await api(exchange.url, 'GET', '/v1/reconciliation', operator.key);
    const books = reconciliation.json() as { ok: boolean; checks?: Array<{ name: string; ok: boolean }> };
    line('exchange reconciliation exact', `${books.ok ? 'yes' : 'NO'} ${books.ok ? '' : JSON.stringify(books.checks?.filter((c) => !c.ok))}`);
    for (const app of apps.splice(0)) await app.stop();
    const check = await ledgerCheck(db.url, { LEDGER_SIGNING_KEY: seed });
    line('npm run ledger:check', check.ok ? check.output.trim() : `FAILED ${check.output}`);
  } finally {
    for (const app of apps) await app.stop();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`bench:scale on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${fmt(os.totalmem() / 1e9, 1)} GB RAM, node ${process.version}`);
if (PARTS.includes('ledger')) await ledgerAtScale();
if (PARTS.includes('http')) await mixedLoad();
