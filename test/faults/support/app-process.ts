// A registry, exchange or worker run from the build as its own OS process, as
// in production, so a test can kill -9 it and start it again on the same port
// and data directory. Its output is kept (bounded) for the failure message.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type AppName = 'registry' | 'exchange' | 'worker';

const PORT_VARIABLE: Record<AppName, string> = { registry: 'REGISTRY_PORT', exchange: 'EXCHANGE_PORT', worker: 'WORKER_HEALTH_PORT' };
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist');
const LOG_LINES = 400;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Children still running when the test process exits (a timed-out test, --forceExit) are killed with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Tracks a child process so it cannot outlive the test run. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns true; false when `timeoutMs` passed first. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}

export class AppProcess {
  private child: ChildProcess | undefined;
  private readonly lines: string[] = [];
  /** How many times this app was started (a restart is a new OS process). */
  starts = 0;

  private constructor(
    readonly name: string,
    readonly app: AppName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** `env` is the whole service configuration except the app's own port, which is picked here. */
  static async create(app: AppName, env: Record<string, string>, name: string = app): Promise<AppProcess> {
    return new AppProcess(name, app, await freePort(), env);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until GET /health answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    const child = track(
      spawn(process.execPath, ['--enable-source-maps', path.join(DIST, 'apps', this.app, 'src', 'main.js')], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', LOG_LEVEL: 'log', ...this.env, [PORT_VARIABLE[this.app]]: String(this.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        this.lines.push(...lines.map((line) => `[${this.name}#${this.starts}] ${line}`));
        if (this.lines.length > LOG_LINES) this.lines.splice(0, this.lines.length - LOG_LINES);
      });
    }
    const healthy = await waitUntil(async () => {
      if (!this.running) throw new Error('exited');
      return (await this.health()) === 200;
    }, timeoutMs);
    if (!healthy) throw new Error(`${this.name} did not become healthy within ${timeoutMs} ms (exit ${child.exitCode}):\n${this.logs()}`);
  }

  /** How the last process ended: its exit code, or the signal that ended it. */
  get ended(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    if (!this.child || this.running) return undefined;
    return { code: this.child.exitCode, signal: this.child.signalCode };
  }

  /** GET /health: its status, or 0 when nothing answers. */
  async health(): Promise<number> {
    return (await this.healthBody()).status;
  }

  async healthBody(): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
    try {
      const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Graceful stop (SIGTERM), forced after a few seconds. */
  stop(): Promise<void> {
    return this.kill('SIGTERM', 5000);
  }

  logs(): string {
    return this.lines.join('\n');
  }
}
