// Graceful shutdown for HTTP apps: on SIGTERM the server first stops taking
// connections, then the requests already running finish (bounded wait), and
// only then do the shutdown hooks close the database, Redis and the
// sequencer. Without this, a request still in its handler when its client
// went away or the process was told to stop ran into a closed connection pool.
import { Injectable, Logger, type BeforeApplicationShutdown, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { finalize, type Observable } from 'rxjs';

const DRAIN_MS = 10_000;

@Injectable()
export class InFlightRequests implements NestInterceptor, BeforeApplicationShutdown {
  private readonly logger = new Logger(InFlightRequests.name);
  private running = 0;
  private drained: (() => void) | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  get count(): number {
    return this.running;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.running++;
    return next.handle().pipe(
      finalize(() => {
        if (--this.running === 0) this.drained?.();
      }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { close?: (done: () => void) => void } | undefined;
    server?.close?.(() => undefined); // no new connections; idle keep-alive ones are closed
    if (this.running === 0) return;
    this.logger.log(`waiting for ${this.running} request(s) to finish before closing connections`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.drained = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS))),
    ]);
    clearTimeout(timer);
    if (this.running > 0) this.logger.warn(`${this.running} request(s) still running after ${DRAIN_MS} ms; closing anyway`);
  }
}
