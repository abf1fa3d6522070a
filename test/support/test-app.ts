// Starts a real registry app (real PostgreSQL, real Redis) for supertest.
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { recordRoutes } from './served-routes.js';
import { loadConfig, type AppConfig } from '#config';
import { createRegistryApp } from '../../apps/registry/src/registry.app.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
/** One data directory (and so one signing key) for the whole test run. */
export const TEST_DATA_DIR = path.join(os.tmpdir(), `copyright-test-data-${process.env.TEST_DATABASE_NAME ?? 'x'}`);

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  fs.mkdirSync(TEST_DATA_DIR, { recursive: true });
  return loadConfig({
    DATABASE_URL: process.env.TEST_RUN_DATABASE_URL,
    REDIS_URL: process.env.TEST_RUN_REDIS_URL,
    DATA_DIR: TEST_DATA_DIR,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'error',
    LEDGER_PROOF_WAIT_MS: '5000',
    ...overrides,
  });
}

/** Readies an app built by createRegistryApp/createExchangeApp for supertest, recording the routes it serves. */
export async function initForTests(app: INestApplication): Promise<INestApplication> {
  recordRoutes(app);
  await app.init();
  // Fastify loads its plugins on ready(); listen() would do it, supertest does not.
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return app;
}

export async function startRegistry(overrides: Record<string, string> = {}): Promise<INestApplication> {
  return initForTests(await createRegistryApp(testConfig(overrides)));
}

export interface TestParty {
  key: string;
  partyId: string;
}

export async function issueKey(app: INestApplication, role: string, name = `${role} ${Math.random().toString(36).slice(2, 8)}`): Promise<TestParty> {
  const response = await request(app.getHttpServer())
    .post('/v1/admin/api-keys')
    .set('Authorization', `Bearer ${ADMIN_KEY}`)
    .send({ role, party: { name, contact: `${name.replace(/\s/g, '.')}@example.com` } })
    .expect(201);
  return { key: response.body.key, partyId: response.body.partyId };
}
