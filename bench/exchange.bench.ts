// Exchange benchmark (npm run bench:exchange): settled licence purchases per
// second over HTTP, against a raw `pg` loop that inserts one comparable row
// (a licence-like row) per transaction at the same concurrency, in the same
// run on the same PostgreSQL.
//
// It creates its own database on the local PostgreSQL (DATABASE_URL
// overrides the server), migrates it, starts the built exchange app as a
// child process on a free port (so the load generator does not share its
// event loop), loads it with bounded concurrency, checks the reconciliation
// is exact, and drops the database. Scenarios:
//   1. raw pg: BEGIN; INSERT one licence-like row; COMMIT, 32 connections;
//   2. non-exclusive licences: 32 buyers buying from 16 listings;
//   3. exclusive licences under contention: 4 listings per scope, 32 buyers
//      racing for them; exactly one per scope settles, the rest are clean 409s.
// Beside each rate it prints the CPU time per operation of the PostgreSQL
// backends of the bench database and of the exchange process (from /proc, so
// PostgreSQL must run on this machine): on a shared, noisy machine that is
// the steadier figure. BENCH_PURCHASES, BENCH_EXCLUSIVE_SCOPES, BENCH_RAW
// shorten a run, BENCH_CONCURRENCY changes the 32 clients, and
// BENCH_STATEMENTS=1 prints the statements of a purchase from
// pg_stat_statements (the server must preload it; with
// pg_stat_statements.track = all it shows those inside the settlement
// function, with track_planning their planning time).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateApiKey, hashApiKey, keyPrefix } from '#auth';
import { REDIS_URL, createBenchDatabase, freePort } from './support/bench-env.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const BUYERS = 32;
/** BENCH_STATEMENTS=1: per-purchase statement figures from pg_stat_statements (the server must preload it; track = all shows the function's own statements). */
const STATEMENTS = process.env.BENCH_STATEMENTS === '1';
const NON_EXCLUSIVE_PURCHASES = Number(process.env.BENCH_PURCHASES ?? 4000);
const EXCLUSIVE_SCOPES = Number(process.env.BENCH_EXCLUSIVE_SCOPES ?? 300);
const COMPETITORS_PER_SCOPE = 4;
const RAW_TRANSACTIONS = Number(process.env.BENCH_RAW ?? 8000);
const PRICE = 10_007n;

interface Party {
  id: string;
  key: string;
}

interface Timing {
  count: number;
  seconds: number;
  latenciesMs: number[];
}

/** CPU milliseconds (user + system) a local process has used, from /proc; undefined if it cannot be read. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

interface CpuMark {
  app: number | undefined;
  backends: Map<number, number>;
}

/**
 * CPU of the exchange process and of the PostgreSQL backends connected to the
 * bench database (the app's pool, its sequencer and listener, the bench's own
 * pool), read from /proc: PostgreSQL must run on this machine.
 */
class CpuMeter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly appPid: () => number | undefined,
  ) {}

  async mark(): Promise<CpuMark> {
    const { rows } = await this.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
    const backends = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = cpuMs(pid);
      if (ms !== undefined) backends.set(pid, ms);
    }
    const pid = this.appPid();
    return { app: pid === undefined ? undefined : cpuMs(pid), backends };
  }

  /** CPU ms per operation since `from`: [PostgreSQL backends, exchange process]. */
  async since(from: CpuMark, operations: number): Promise<{ pg: number; app: number }> {
    const to = await this.mark();
    let pgMs = 0;
    for (const [pid, ms] of to.backends) pgMs += ms - (from.backends.get(pid) ?? 0);
    const appMs = to.app !== undefined && from.app !== undefined ? to.app - from.app : NaN;
    return { pg: to.backends.size && operations ? pgMs / operations : NaN, app: operations ? appMs / operations : NaN };
  }
}

const ms3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
const cpuText = (c: { pg: number; app: number }) => `   CPU/op: PostgreSQL ${ms3(c.pg)} ms, exchange ${ms3(c.app)} ms`;

/** The busiest statements of the bench database since the last reset, per operation. */
async function statementsPerOperation(pool: pg.Pool, operations: number): Promise<string> {
  const { rows } = await pool.query<{ calls: string; exec: number; plan: number; rows: string; top: boolean; query: string }>(
    `SELECT calls, total_exec_time AS exec, total_plan_time AS plan, rows, toplevel AS top, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time + total_plan_time DESC LIMIT 40`,
  );
  // Work that does not depend on how busy the machine is: statements, pages touched, WAL written.
  const [total] = (
    await pool.query<{ calls: string; blocks: string; wal_records: string; wal_bytes: string }>(
      `SELECT sum(calls) AS calls, sum(shared_blks_hit + shared_blks_read) AS blocks, sum(wal_records) AS wal_records, sum(wal_bytes) AS wal_bytes
         FROM pg_stat_statements WHERE toplevel AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  ).rows;
  const per = (v: string) => (Number(v) / operations).toFixed(1);
  return (
    `  per purchase: ${per(total.calls)} statements from clients, ${per(total.blocks)} buffer pages, ${per(total.wal_records)} WAL records, ${per(total.wal_bytes)} WAL bytes\n` +
    rows
      .map((r) => `  ${(Number(r.calls) / operations).toFixed(2).padStart(6)} calls ${(r.exec / operations).toFixed(3).padStart(7)} ms ${r.plan ? `+ plan ${(r.plan / operations).toFixed(3)}` : '              '}  ${r.top ? 'top   ' : 'nested'}  ${r.query.slice(0, 120)}`)
      .join('\n')
  );
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : 'n/a');

function summary(label: string, t: Timing, extra = ''): string {
  const sorted = [...t.latenciesMs].sort((a, b) => a - b);
  return `${label.padEnd(44)} ${fmt(t.count / t.seconds).padStart(7)} /s   p50 ${fmt(percentile(sorted, 50)).padStart(6)} ms   p99 ${fmt(percentile(sorted, 99)).padStart(6)} ms   (${t.count} in ${t.seconds.toFixed(2)} s)${extra}`;
}

/** Runs `total` operations with `concurrency` workers; an operation returns whether it counts. */
async function load(total: number, concurrency: number, op: (i: number) => Promise<boolean>): Promise<Timing> {
  let next = 0;
  let count = 0;
  const latenciesMs: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        if (await op(i)) {
          count++;
          latenciesMs.push(performance.now() - t0);
        }
      }
    }),
  );
  return { count, seconds: (performance.now() - start) / 1000, latenciesMs };
}

async function startExchange(databaseUrl: string, port: number, dataDir: string): Promise<ChildProcess> {
  // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the app.
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'dist/apps/exchange/src/main.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL, EXCHANGE_PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status < 600) return child;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`exchange exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('exchange did not start');
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('exchange');
  const pool = new pg.Pool({ connectionString: db.url, max: Math.max(CONCURRENCY, 8) });
  pool.on('error', () => undefined); // an idle connection closed by the final DROP DATABASE ... FORCE
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exchange-'));
  const port = await freePort();
  let app: ChildProcess | undefined;
  try {
    // ---- fixtures: parties with keys, works with owners (straight into the tables) ----
    const party = async (role: string, name: string): Promise<Party> => {
      const key = generateApiKey();
      const { rows } = await pool.query(`INSERT INTO parties (name, contact) VALUES ($1, 'bench@example.com') RETURNING id`, [name]);
      await pool.query(`INSERT INTO api_keys (key_hash, key_prefix, role, party_id) VALUES ($1, $2, $3, $4)`, [hashApiKey(key), keyPrefix(key), role, rows[0].id]);
      return { id: rows[0].id, key };
    };
    const work = async (owners: Array<[Party, number]>): Promise<string> => {
      const { rows } = await pool.query(
        `INSERT INTO works (registration_number, registrant_id, sha256, title, type, authors, content_stored, status, entry_id)
         VALUES ($1, $2, $3, 'Bench work', 'text', '[{"name":"Bench"}]', false, 'registered', 0) RETURNING id`,
        [`BENCH-${randomUUID()}`, owners[0][0].id, randomBytes(32)],
      );
      for (const [owner, shareBp] of owners) await pool.query(`INSERT INTO work_owners (work_id, party_id, share_bp) VALUES ($1, $2, $3)`, [rows[0].id, owner.id, shareBp]);
      return rows[0].id;
    };

    app = await startExchange(db.url, port, dataDir);
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: string, url: string, as: Party, body?: unknown) => {
      const response = await fetch(base + url, {
        method,
        headers: { authorization: `Bearer ${as.key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const must = async (method: string, url: string, as: Party, body?: unknown) => {
      const r = await call(method, url, as, body);
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    const operator = await party('exchange', 'Bench exchange');
    const sellers = await Promise.all(Array.from({ length: 32 }, (_, i) => party('creator', `Seller ${i}`)));
    const buyers = await Promise.all(Array.from({ length: BUYERS }, (_, i) => party('creator', `Buyer ${i}`)));
    const perBuyer = (PRICE * BigInt(Math.ceil(NON_EXCLUSIVE_PURCHASES / BUYERS) + EXCLUSIVE_SCOPES * COMPETITORS_PER_SCOPE)) * 2n;
    await load(buyers.length, 8, async (i) => {
      await must('POST', '/v1/deposits', operator, { partyId: buyers[i].id, amount: perBuyer.toString(), externalRef: `BENCH-DEP-${i}` });
      return true;
    });

    const terms = (overrides: Record<string, unknown>) => ({
      rights: ['reproduction', 'information_network_dissemination'],
      exclusive: false,
      territories: ['CN'],
      media: ['online'],
      period: { start: '2026-01-01', end: '2027-01-01' },
      sublicensable: false,
      ...overrides,
    });

    // 16 non-exclusive listings on 16 works of two co-owners each.
    const openListings: string[] = [];
    for (let i = 0; i < 16; i++) {
      const w = await work([
        [sellers[i], 6000],
        [sellers[i + 16], 4000],
      ]);
      openListings.push((await must('POST', '/v1/listings', sellers[i], { workId: w, kind: 'licence', terms: terms({}), price: PRICE.toString() })).id as string);
    }
    // Exclusive scopes: 4 identical exclusive listings per scope (one sole owner per work, one scope per year).
    const exclusiveListings: string[] = [];
    const exclusiveWorks = await Promise.all(Array.from({ length: Math.ceil(EXCLUSIVE_SCOPES / 50) }, (_, i) => work([[sellers[i % 32], 10000]])));
    await load(EXCLUSIVE_SCOPES, 8, async (scope) => {
      const w = exclusiveWorks[scope % exclusiveWorks.length];
      const year = 2100 + Math.floor(scope / exclusiveWorks.length);
      const owner = sellers[(scope % exclusiveWorks.length) % 32];
      for (let c = 0; c < COMPETITORS_PER_SCOPE; c++) {
        const listing = await must('POST', '/v1/listings', owner, {
          workId: w,
          kind: 'licence',
          terms: terms({ exclusive: true, period: { start: `${year}-01-01`, end: `${year + 1}-01-01` } }),
          price: PRICE.toString(),
        });
        exclusiveListings[scope * COMPETITORS_PER_SCOPE + c] = listing.id as string;
      }
      return true;
    });

    // Warm-up (JIT, connection pools, plan caches), not measured.
    await load(200, CONCURRENCY, async (i) => (await call('POST', `/v1/listings/${openListings[i % 16]}/purchase`, buyers[i % BUYERS])).status === 201);

    const meter = new CpuMeter(pool, () => app?.pid);

    // ---- 1. raw pg loop ----
    let mark = await meter.mark();
    await pool.query(`CREATE TABLE bench_raw_licences (id uuid PRIMARY KEY, work_id uuid NOT NULL, licensee_id uuid NOT NULL, terms jsonb NOT NULL, price bigint NOT NULL, granted_at timestamptz NOT NULL DEFAULT now())`);
    const rawTerms = JSON.stringify(terms({}));
    const raw = await load(RAW_TRANSACTIONS, CONCURRENCY, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO bench_raw_licences (id, work_id, licensee_id, terms, price) VALUES ($1, $2, $3, $4, $5)`, [randomUUID(), randomUUID(), randomUUID(), rawTerms, PRICE.toString()]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      return true;
    });
    const rawCpu = await meter.since(mark, raw.count);

    // ---- 2. non-exclusive purchases ----
    const unexpected: string[] = [];
    if (STATEMENTS) {
      await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await pool.query('SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)');
    }
    mark = await meter.mark();
    const openRun = await load(NON_EXCLUSIVE_PURCHASES, CONCURRENCY, async (i) => {
      const r = await call('POST', `/v1/listings/${openListings[i % 16]}/purchase`, buyers[i % BUYERS]);
      if (r.status !== 201) unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
      return r.status === 201;
    });
    const openCpu = await meter.since(mark, openRun.count);
    const statements = STATEMENTS ? await statementsPerOperation(pool, openRun.count) : '';

    // ---- 3. exclusive purchases under contention ----
    let refused = 0;
    const attempts = EXCLUSIVE_SCOPES * COMPETITORS_PER_SCOPE;
    mark = await meter.mark();
    const exclusiveRun = await load(attempts, CONCURRENCY, async (i) => {
      const r = await call('POST', `/v1/listings/${exclusiveListings[i]}/purchase`, buyers[i % BUYERS]);
      if (r.status === 409) refused++;
      else if (r.status !== 201) unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
      return r.status === 201;
    });
    const exclusiveCpu = await meter.since(mark, attempts);

    // ---- the HTTP stack's own ceiling: the same purchase call refused before any database work ----
    mark = await meter.mark();
    const ceiling = await load(NON_EXCLUSIVE_PURCHASES, CONCURRENCY, async (i) => {
      const response = await fetch(`${base}/v1/listings/${openListings[i % 16]}/purchase`, {
        method: 'POST',
        headers: { authorization: `Bearer ${buyers[i % BUYERS].key}`, 'content-type': 'application/json' }, // no Idempotency-Key: 400
      });
      await response.arrayBuffer();
      return response.status === 400;
    });
    const ceilingCpu = await meter.since(mark, ceiling.count);

    const recon = (await must('GET', '/v1/reconciliation', operator)) as { ok: boolean; totals: Record<string, unknown>; checks: Array<{ name: string; ok: boolean }> };
    const cpus = os.cpus().length;
    console.log(`\nExchange benchmark: ${CONCURRENCY} concurrent clients, ${cpus} CPU(s), PostgreSQL ${(await pool.query('SHOW server_version')).rows[0].server_version}, synchronous_commit ${(await pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit}\n`);
    console.log(summary('raw pg: one licence-like row per transaction', raw, `\n${''.padEnd(44)}${cpuText(rawCpu)}`));
    console.log(summary('settled non-exclusive purchases (HTTP)', openRun, `\n${''.padEnd(44)}${cpuText(openCpu)}`));
    console.log(
      summary(
        'settled exclusive purchases under contention',
        exclusiveRun,
        `\n${''.padEnd(44)} ${fmt(attempts / exclusiveRun.seconds).padStart(7)} attempts/s; ${exclusiveRun.count} settled + ${refused} refused (409) of ${attempts}; expected ${EXCLUSIVE_SCOPES} settled` +
          `\n${''.padEnd(44)}${cpuText(exclusiveCpu)} (per attempt)`,
      ),
    );
    const ratio = openRun.count / openRun.seconds / (raw.count / raw.seconds);
    console.log(`\nratio non-exclusive purchases / raw pg transactions: ${ratio.toFixed(3)} (target >= 0.5)`);
    console.log(`ratio exclusive settled / raw pg transactions:      ${(exclusiveRun.count / exclusiveRun.seconds / (raw.count / raw.seconds)).toFixed(3)}`);
    console.log(summary('HTTP ceiling: purchase refused (no Idempotency-Key)', ceiling, `\n${''.padEnd(44)}${cpuText(ceilingCpu)}`));
    console.log(`PostgreSQL CPU per non-exclusive purchase / per raw transaction: ${(openCpu.pg / rawCpu.pg).toFixed(1)}`);
    console.log(`ratio HTTP ceiling / raw pg transactions:           ${(ceiling.count / ceiling.seconds / (raw.count / raw.seconds)).toFixed(3)}`);
    if (statements) console.log(`\nstatements per non-exclusive purchase (pg_stat_statements; time includes lock waits):\n${statements}`);
    console.log(`reconciliation: ${recon.ok ? 'exact' : 'NOT EXACT'} ${JSON.stringify(recon.totals)}`);
    for (const check of recon.checks.filter((c) => !c.ok)) console.log(`  failed check: ${check.name}`);
    if (unexpected.length) console.log(`unexpected answers (${unexpected.length}), first: ${unexpected[0]}`);
    const ok = recon.ok && unexpected.length === 0 && exclusiveRun.count === EXCLUSIVE_SCOPES && openRun.count === NON_EXCLUSIVE_PURCHASES;
    if (!ok) process.exitCode = 1;
  } finally {
    app?.kill('SIGTERM');
    await new Promise((r) => (app && app.exitCode === null ? app.once('exit', r) : r(undefined)));
    await pool.end();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
