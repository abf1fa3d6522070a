// Graceful shutdown for HTTP apps: on SIGTERM the server first stops taking
// connections, then the requests already accepted finish (bounded wait), and
// only then do the shutdown hooks close the database, Redis and the
// sequencer. Without this, a request still running when the process was told
// to stop ran into a closed connection pool.
//
// A request counts from its arrival (an onRequest hook, before body parsing
// and guards) until its response is sent or its client has gone, and its handler
// counts until it returns (a handler outlives a client that hung up).
import { Injectable, Logger, type BeforeApplicationShutdown, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Server } from 'node:http';
import { finalize, type Observable } from 'rxjs';

const DRAIN_MS = 10_000;

@Injectable()
export class InFlightRequests implements NestInterceptor, BeforeApplicationShutdown {
  private readonly logger = new Logger(InFlightRequests.name);
  private active = 0;
  private closing = false;
  private drained: (() => void) | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Fastify onRequest hook: counts the request until its response is done. */
  readonly track = (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    this.begin();
    const response = reply.raw;
    // While closing, a keep-alive client is told to come back on a new connection (elsewhere).
    if (this.closing) response.setHeader('Connection', 'close');
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.end();
    };
    response.once('finish', end);
    response.once('close', end);
    done();
  };

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.begin();
    return next.handle().pipe(finalize(() => this.end()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Partial<Server> | undefined;
    server?.close?.(() => undefined); // no new connections; idle keep-alive ones are closed
    if (this.active > 0) {
      this.logger.log('waiting for the requests in flight to finish before closing connections');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS))),
      ]);
      clearTimeout(timer);
      if (this.active > 0) this.logger.warn(`requests still running after ${DRAIN_MS} ms; closing anyway`);
    }
    // Keep-alive connections that went idle after close() would otherwise hold
    // the server open until their clients hang up (Nest's own close waits for
    // that): with nothing left to answer, they are closed now.
    server?.closeAllConnections?.();
  }

  private begin(): void {
    this.active++;
  }

  private end(): void {
    if (--this.active === 0) this.drained?.();
  }
}
