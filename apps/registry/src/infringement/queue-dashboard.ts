// bull-board for admins at /admin/queues: the fingerprint and match queues,
// their failed (dead-letter) jobs, retries. Mounted as Express middleware,
// outside Nest's guard, so it authenticates itself: an admin API key as
// "Authorization: Bearer <key>", or as the password of HTTP Basic auth (which
// a browser asks for by itself).
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeyService } from '#auth';
import { QueueName } from '#queue';
import { APP_CONFIG, type AppConfig } from '#platform';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

function keyOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

function refuse(response: Response, status: 401 | 403, code: string, message: string): void {
  if (status === 401) response.setHeader('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"');
  response.status(status).json({ error: { code, message } });
}

@Injectable()
export class QueueDashboard implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('QueueDashboard');
  private queues: Queue[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: ApiKeyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter;
    if (!http) return;
    this.queues = Object.values(QueueName).map((name) => {
      const queue = new Queue(name, { connection: { url: this.config.redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true }, prefix: this.config.queue.prefix });
      queue.on('error', () => undefined); // Redis down: the dashboard says so when opened
      return queue;
    });
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: this.queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'Infringement scans' } } });
    const guard = (request: Request, response: Response, next: NextFunction) => {
      // A browser sends remembered Basic credentials with any request, even one
      // another site's page makes: refuse cross-site writes (adding or cleaning
      // jobs) so a page an admin visits cannot act through the dashboard (issue 6).
      const crossSite = request.headers['sec-fetch-site'] === 'cross-site' || (request.headers.origin !== undefined && request.headers.origin !== `${request.protocol}://${request.headers.host}`);
      if (!['GET', 'HEAD'].includes(request.method) && crossSite) return refuse(response, 403, 'FORBIDDEN', 'Cross-site requests to the queue dashboard are refused.');
      const key = keyOf(request.headers.authorization);
      if (!key) return refuse(response, 401, 'UNAUTHENTICATED', 'Send an admin API key: "Authorization: Bearer <key>" (or as the Basic auth password).');
      this.keys.authenticate(key).then(
        (principal) => {
          if (!principal) return refuse(response, 401, 'UNAUTHENTICATED', 'The API key is unknown or revoked.');
          if (principal.role !== 'admin') return refuse(response, 403, 'FORBIDDEN', `The queue dashboard is for admins; your key has role ${principal.role}.`);
          next();
        },
        (error: unknown) => next(error),
      );
    };
    http.use(QUEUE_DASHBOARD_PATH, guard, serverAdapter.getRouter());
    this.logger.log(`queue dashboard at ${QUEUE_DASHBOARD_PATH} (admin keys only)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => queue.disconnect())));
  }
}
