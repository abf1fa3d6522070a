// A registry and a worker (application context, as in production) on one
// database and Redis, with a private queue prefix so these tests never share
// queues with other test files or a running service; plus helpers to wait for
// the scanner's reports.
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import request from 'supertest';
import { QueueName } from '#queue';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { startRegistry, testConfig } from '../support/test-app.js';

export interface ScanHarness {
  registry: INestApplication;
  worker: INestApplicationContext;
  prefix: string;
  http: ReturnType<INestApplication['getHttpServer']>;
  close(): Promise<void>;
}

export async function startScanHarness(overrides: Record<string, string> = {}): Promise<ScanHarness> {
  const prefix = `{scan-test-${process.pid}-${Date.now()}}`;
  const env = { QUEUE_PREFIX: prefix, ...overrides };
  const registry = await startRegistry(env);
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig(env)), { logger: ['error'] });
  await worker.init();
  return {
    registry,
    worker,
    prefix,
    http: registry.getHttpServer(),
    close: async () => {
      await worker.close();
      await registry.close();
      for (const name of Object.values(QueueName)) {
        const queue = new Queue(name, { connection: { url: process.env.TEST_RUN_REDIS_URL }, prefix });
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
      }
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Reports about a work (as original or suspect), as an officer sees them. */
export async function reportsAbout(http: ScanHarness['http'], officerKey: string, workId: string): Promise<Array<Record<string, any>>> {
  const response = await request(http).get(`/v1/reports?work=${workId}`).set('Authorization', `Bearer ${officerKey}`).expect(200);
  return response.body.items;
}
