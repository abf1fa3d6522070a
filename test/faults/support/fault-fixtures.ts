// What the fault tests share: a throwaway migrated database, the service
// environment for its processes, plain HTTP calls that report a dead server
// as status 0 instead of throwing, a bounded load runner, and the ledger
// invariants checked after every fault.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import pg from 'pg';
import { openCheckpoint, verifyConsistency } from '#ledger';
import { runMigrations } from '#persistence';
import { JobName, QUEUE_PREFIX, QueueName } from '#queue';
import { randomHash, verifyBundle, type ProofBundle } from '../../support/proofs.js';
import { sleep, waitUntil } from './app-process.js';

export const ADMIN_KEY = 'fault-admin-key-0123456789abcdef';
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist');

// ---------------------------------------------------------------- database

export interface FaultDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the run's PostgreSQL (see test/global-setup.mjs). */
export async function createFaultDatabase(label: string): Promise<FaultDatabase> {
  const baseUrl = process.env.TEST_BASE_DATABASE_URL!;
  const name = `${process.env.TEST_DATABASE_NAME}_fault_${label}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  return { url: url.toString(), ...poolFor(url.toString(), baseUrl, name) };
}

/** A small pool for the test's own queries; `drop` also drops the database when it is a scratch one. */
export function poolFor(url: string, baseUrl?: string, name?: string): { pool: pg.Pool; drop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined); // a restarted server kills idle clients; the next query reconnects
  return {
    pool,
    drop: async () => {
      await pool.end();
      if (!baseUrl || !name || process.env.TEST_KEEP_DATABASE) return;
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

// ---------------------------------------------------------------- service environment

export interface ServiceEnv {
  env: Record<string, string>;
  /** The ledger signing seed every process of the service shares. */
  signingKey: string;
  dataDir: string;
  cleanup(): void;
}

/** Configuration shared by every process of one service under test. */
export function serviceEnv(databaseUrl: string, redisUrl: string, extra: Record<string, string> = {}): ServiceEnv {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-data-'));
  const signingKey = randomBytes(32).toString('base64');
  return {
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      LEDGER_SIGNING_KEY: signingKey,
      DATABASE_POOL_SIZE: '10',
      ...extra,
    },
    signingKey,
    dataDir,
    cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------- HTTP

export interface Answer {
  /** 0 when no HTTP answer arrived (refused, reset, timed out). */
  status: number;
  body: any;
  error?: string;
}

export async function call(
  method: 'GET' | 'POST',
  url: string,
  options: { key?: string; body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text (a checkpoint)
    }
    return { status: response.status, body };
  } catch (error) {
    return { status: 0, body: undefined, error: String((error as Error).cause ?? (error as Error).message) };
  }
}

/** Issues an API key through the registry's admin API. */
export async function issueKey(registryUrl: string, role: string, name = `${role} ${randomUUID().slice(0, 8)}`): Promise<{ key: string; partyId: string }> {
  const answer = await call('POST', `${registryUrl}/v1/admin/api-keys`, { key: ADMIN_KEY, body: { role, party: { name, contact: 'fault@example.com' } } });
  if (answer.status !== 201) throw new Error(`cannot issue a ${role} key: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A hash-only registration (of fresh content unless `sha256` is given, e.g. for a retry). */
export function register(registryUrl: string, key: string, sha256: string = randomHash()): Promise<Answer> {
  return call('POST', `${registryUrl}/v1/works`, {
    key,
    body: { sha256, title: 'Fault test work', type: 'text', authors: [{ name: 'Tester' }] },
  });
}

// ---------------------------------------------------------------- load

export interface LoadOptions<T> {
  clients: number;
  /** Each client stops after its current call once this returns true. */
  stop: () => boolean;
  /** Hard bounds, whatever `stop` says. */
  maxCallsPerClient: number;
  maxMs: number;
  /** Pause after a call that got no HTTP answer, so a dead server is not hammered. */
  backoffMs?: number;
  call: (client: number, n: number) => Promise<T & { status: number }>;
}

/** Runs `clients` concurrent loops of calls; resolves with every outcome, in completion order. */
export async function runLoad<T>(options: LoadOptions<T>): Promise<Array<T & { status: number; client: number; at: number }>> {
  const results: Array<T & { status: number; client: number; at: number }> = [];
  const deadline = Date.now() + options.maxMs;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let n = 0; n < options.maxCallsPerClient && !options.stop() && Date.now() < deadline; n++) {
        const result = await options.call(client, n);
        results.push({ ...result, client, at: Date.now() });
        if (result.status === 0 || result.status >= 500) await sleep(options.backoffMs ?? 100);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------- ledger invariants

/** Waits until the queue is empty (every committed entry integrated); false on timeout. */
export function ledgerDrained(pool: pg.Pool, timeoutMs = 20_000): Promise<boolean> {
  return waitUntil(async () => (await pool.query('SELECT count(*)::int AS n FROM ledger_queue')).rows[0].n === 0, timeoutMs, 200);
}

/**
 * No gap and nothing dangling: indexes 0..n-1 all present, the latest
 * checkpoint covers exactly n, nothing left in the queue, and every business
 * row that names an entry (works, settlements, licences) finds it.
 */
export async function ledgerProblems(pool: pg.Pool): Promise<string[]> {
  const problems: string[] = [];
  const [shape] = (
    await pool.query(`SELECT count(*)::int AS n, coalesce(max(idx), -1)::int AS max, (SELECT coalesce(max(tree_size), 0)::int FROM ledger_checkpoints) AS signed,
                             (SELECT count(*)::int FROM ledger_queue) AS queued FROM ledger_entries`)
  ).rows;
  if (shape.n !== shape.max + 1) problems.push(`ledger has ${shape.n} entries but its highest index is ${shape.max}`);
  if (shape.signed !== shape.n) problems.push(`latest checkpoint covers ${shape.signed} of ${shape.n} entries`);
  if (shape.queued !== 0) problems.push(`${shape.queued} entries still queued`);
  for (const table of ['works', 'settlements', 'licences']) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.entry_id = t.entry_id)`);
    if (rows[0].n) problems.push(`${rows[0].n} ${table} rows without their ledger entry`);
  }
  const { rows: ownerless } = await pool.query(
    `SELECT count(*)::int AS n FROM works w WHERE (SELECT coalesce(sum(share_bp), 0) FROM work_owners o WHERE o.work_id = w.id) <> 10000`,
  );
  if (ownerless[0].n) problems.push(`${ownerless[0].n} works whose owners' shares do not sum to 10000`);
  return problems;
}

/** Runs the `ledger:check` command against the database; resolves with its exit code and output. */
export function ledgerCheck(databaseUrl: string, signingKey: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(DIST, 'apps', 'cli', 'src', 'ledger-check.js')],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LEDGER_SIGNING_KEY: signingKey, DATA_DIR: os.tmpdir() }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** The registry's current signed checkpoint, opened with its verifier key. */
export async function currentCheckpoint(registryUrl: string, vkey: string): Promise<{ size: number; rootHash: Uint8Array }> {
  const answer = await call('GET', `${registryUrl}/v1/ledger/checkpoint`);
  if (answer.status !== 200) throw new Error(`no checkpoint: ${answer.status}`);
  return openCheckpoint(answer.body as string, vkey);
}

/**
 * Every bundle verifies on its own and its checkpoint is consistent with the
 * current one (one consistency proof per distinct earlier size). Returns the
 * problems found.
 */
export async function bundlesConsistentWith(registryUrl: string, vkey: string, bundles: ProofBundle[]): Promise<string[]> {
  const now = await currentCheckpoint(registryUrl, vkey);
  const problems: string[] = [];
  const roots = new Map<number, Uint8Array>();
  for (const bundle of bundles) {
    const verified = verifyBundle(bundle, vkey);
    if (!verified.ok) problems.push(`bundle for index ${bundle.ledgerIndex} does not verify`);
    roots.set(verified.size, verified.root);
  }
  for (const [size, root] of roots) {
    const answer = await call('GET', `${registryUrl}/v1/ledger/proof/consistency?from=${size}&to=${now.size}`);
    const hashes = answer.status === 200 ? (answer.body.hashes as string[]).map((h) => Buffer.from(h, 'base64')) : [];
    if (answer.status !== 200 || !verifyConsistency(size, now.size, hashes, root, now.rootHash)) {
      problems.push(`checkpoint ${size} is not consistent with ${now.size} (${answer.status})`);
    }
  }
  return problems;
}

export function countBy<T>(items: T[], key: (item: T) => string | number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------- scan jobs

/** Waits until the worker's relay has moved every outbox row to BullMQ; false on timeout. */
export function outboxDrained(pool: pg.Pool, timeoutMs = 30_000): Promise<boolean> {
  return waitUntil(async () => (await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0, timeoutMs, 100);
}

/**
 * Compares the registered works with the fingerprint jobs in BullMQ (every
 * state): each work must have exactly one job, and no job a work that does not exist.
 */
export async function scanJobProblems(pool: pg.Pool, redisUrl: string): Promise<{ works: number; lost: string[]; doubled: string[]; strays: string[] }> {
  const queue = new Queue(QueueName.Fingerprint, { connection: { url: redisUrl }, prefix: QUEUE_PREFIX });
  try {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'], 0, -1);
    const perWork = countBy(
      jobs.filter((job) => job.name === JobName.FingerprintWork),
      (job) => (job.data as { workId: string }).workId,
    );
    const works = new Set((await pool.query('SELECT id FROM works')).rows.map((row) => row.id as string));
    return {
      works: works.size,
      lost: [...works].filter((id) => !perWork[id]),
      doubled: Object.keys(perWork).filter((id) => perWork[id] !== 1),
      strays: Object.keys(perWork).filter((id) => !works.has(id)),
    };
  } finally {
    await queue.close();
  }
}
