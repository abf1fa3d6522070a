// bull-board for admins at /admin/queues: the fingerprint and match queues,
// their failed (dead-letter) jobs, retries. Mounted as a Fastify plugin,
// outside Nest's guard, so it authenticates itself: an admin API key as
// "Authorization: Bearer <key>", or as the password of HTTP Basic auth (which
// a browser asks for by itself).
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

function refuse(reply: FastifyReply, status: 401 | 403, code: string, message: string): FastifyReply {
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"');
  return reply.status(status).send({ error: { code, message } });
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

  async onModuleInit(): Promise<void> {
    const http = this.adapterHost.httpAdapter;
    if (!http) return;
    this.queues = Object.values(QueueName).map((name) => {
      const queue = new Queue(name, { connection: { url: this.config.redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true }, prefix: this.config.queue.prefix });
      queue.on('error', () => undefined); // Redis down: the dashboard says so when opened
      return queue;
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: this.queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'Infringement scans' } } });
    const guard = async (request: FastifyRequest, reply: FastifyReply) => {
      // A browser sends remembered Basic credentials with any request, even one
      // another site's page makes: refuse cross-site writes (adding or cleaning
      // jobs) so a page an admin visits cannot act through the dashboard (issue 6).
      const crossSite = request.headers['sec-fetch-site'] === 'cross-site' || (request.headers.origin !== undefined && request.headers.origin !== `${request.protocol}://${request.headers.host}`);
      if (!['GET', 'HEAD'].includes(request.method) && crossSite) return refuse(reply, 403, 'FORBIDDEN', 'Cross-site requests to the queue dashboard are refused.');
      const key = keyOf(request.headers.authorization);
      if (!key) return refuse(reply, 401, 'UNAUTHENTICATED', 'Send an admin API key: "Authorization: Bearer <key>" (or as the Basic auth password).');
      const principal = await this.keys.authenticate(key);
      if (!principal) return refuse(reply, 401, 'UNAUTHENTICATED', 'The API key is unknown or revoked.');
      if (principal.role !== 'admin') return refuse(reply, 403, 'FORBIDDEN', `The queue dashboard is for admins; your key has role ${principal.role}.`);
      return undefined;
    };
    // In its own plugin context, so the guard hook covers the dashboard's routes only.
    await (http.getInstance() as FastifyInstance).register(
      async (dashboard) => {
        dashboard.addHook('onRequest', guard);
        await dashboard.register(serverAdapter.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
    this.logger.log(`queue dashboard at ${QUEUE_DASHBOARD_PATH} (admin keys only)`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => queue.disconnect())));
  }
}
