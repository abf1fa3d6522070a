// `npm start`: brings the whole service up on one machine. Uses DATABASE_URL
// and REDIS_URL when set; otherwise starts an embedded PostgreSQL and a local
// redis-server under DATA_DIR. Then migrates, and runs registry, exchange and
// worker as child processes, restarting any that crash.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfigOrExit } from '#config';
import { loadOrCreateSigningSeed } from '#ledger-store';
import { runMigrations } from '#persistence';
import { loadOrCreateTsaCredentials } from '#timestamp';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './local-services/embedded-database.js';
import { RedisUnavailableError, startLocalRedis, type LocalRedis } from './local-services/local-redis.js';

const log = (line: string) => process.stdout.write(`[start] ${line}\n`);

/** The port of a service this script starts itself (EMBEDDED_PG_PORT, LOCAL_REDIS_PORT). */
function servicePort(name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) throw new ConfigError(name, `must be a port number from 1 to 65535, got "${raw}"`);
  return Number(raw);
}
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const APPS = ['registry', 'exchange', 'worker'] as const;

const env: Record<string, string | undefined> = { ...process.env };
env.DATA_DIR = path.resolve(env.DATA_DIR ?? 'data');
let database: EmbeddedDatabase | undefined;
let redis: LocalRedis | undefined;
const children = new Map<string, ChildProcess>();
let stopping = false;

/** The apps drain their requests for up to 10 s; one still running after this is killed. */
const APP_STOP_MS = 20_000;

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined); // a second Ctrl+C: the first shutdown goes on
  stopping = true;
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), APP_STOP_MS);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await redis?.stop().catch(() => undefined);
  await database?.stop().catch(() => undefined);
  process.exit(code);
}
// SIGHUP too (a closed terminal): the apps and the embedded database stop in order.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

function run(app: (typeof APPS)[number], restarts = 0): void {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(distRoot, 'apps', app, 'src', 'main.js')], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(app, child);
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) out.write(`[${app}] ${line}\n`);
    });
  };
  prefix(child.stdout!, process.stdout);
  prefix(child.stderr!, process.stderr);
  child.once('exit', (code) => {
    if (stopping) return;
    if (code === 78) {
      log(`${app} refused its configuration; stopping`);
      void shutdown(1);
      return;
    }
    const delay = Math.min(30_000, 1000 * 2 ** restarts);
    log(`${app} exited with code ${code}; restarting in ${delay / 1000}s`);
    setTimeout(() => run(app, restarts + 1), delay);
  });
}

try {
  if (!env.DATABASE_URL) {
    database = await startEmbeddedDatabase(env.DATA_DIR, servicePort('EMBEDDED_PG_PORT', 54329), log);
    env.DATABASE_URL = database.url;
    log(`embedded PostgreSQL running (data in ${database.directory})`);
  }
  if (!env.REDIS_URL) {
    redis = await startLocalRedis(env.DATA_DIR, servicePort('LOCAL_REDIS_PORT', 63790));
    env.REDIS_URL = redis.url;
    log(`local redis-server running on ${redis.url}`);
  }
  const config = loadConfigOrExit(env);
  const applied = await runMigrations(config.databaseUrl);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  // Create the signing key once, before several processes race to.
  loadOrCreateSigningSeed(config.dataDir, config.ledger.signingKeySeed);
  // Likewise the time-stamp authority's CA and certificate (registry processes would race to create them).
  const tsa = await loadOrCreateTsaCredentials({ dataDir: config.dataDir, name: config.tsa.name, files: config.tsa.files });
  if (tsa.created) log(`created the time-stamp authority's certificates in ${tsa.source}`);
  for (const app of APPS) run(app);
  log(`registry  ${config.publicBaseUrl}  (API docs ${config.publicBaseUrl}/docs)`);
  log(`exchange  http://${config.host}:${config.exchangePort}  (API docs http://${config.host}:${config.exchangePort}/docs)`);
  log(`worker    health at http://${config.host}:${config.workerHealthPort}/health`);
  log('press Ctrl+C to stop');
} catch (error) {
  if (error instanceof RedisUnavailableError) process.stderr.write(`[start] ${error.message}\n`);
  else if (error instanceof ConfigError) process.stderr.write(`[start] Configuration error: ${error.message}\n`);
  else process.stderr.write(`[start] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await shutdown(1);
}
