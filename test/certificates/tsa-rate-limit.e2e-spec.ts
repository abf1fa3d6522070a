// POST /v1/tsa is rate-limited per API key (and per client address without a
// key) across processes: two registry apps share the count through Redis.
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTimeStampRequest } from '#timestamp';
import { issueKey, startRegistry } from '../support/test-app.js';

const LIMITS = { TSA_RATE_LIMIT_PER_KEY: '4', TSA_RATE_LIMIT_PER_ADDRESS: '3' };
const query = () => Buffer.from(createTimeStampRequest({ sha256: createHash('sha256').update(randomBytes(16)).digest(), certReq: true }));

/** The limit counts per wall-clock minute: start well inside one so a test never straddles two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 200));
}

describe('POST /v1/tsa rate limit', () => {
  let first: INestApplication;
  let second: INestApplication;

  beforeAll(async () => {
    [first, second] = await Promise.all([startRegistry(LIMITS), startRegistry(LIMITS)]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  const post = (app: INestApplication, key?: string) => {
    const call = request(app.getHttpServer()).post('/v1/tsa').set('Content-Type', 'application/timestamp-query');
    return (key ? call.set('Authorization', `Bearer ${key}`) : call).send(query());
  };

  it('allows the per-key limit in a minute across both processes, then answers 429 with Retry-After', async () => {
    const creator = await issueKey(first, 'creator');
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(i % 2 ? second : first, creator.key)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await post(second, creator.key).expect(429);
    expect(refused.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another key has its own budget.
    const other = await issueKey(first, 'creator');
    await post(first, other.key).expect(200);
  }, 30_000);

  it('limits anonymous callers per address', async () => {
    await awayFromMinuteBoundary();
    // Earlier runs in the same minute may have used some of this address's budget already.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(i % 2 ? second : first)).status);
    expect(statuses[3]).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    const refused = await post(first).expect(429);
    expect(refused.headers['retry-after']).toBeDefined();
  }, 30_000);
});
