// A retry whose first look at its key came just before the first call
// committed, and that the first call's change then refuses (the listing it
// bought is sold), must get the first call's answer, not the refusal. The
// route handler is stood in for by one that commits the first call's answer
// itself, then refuses, on the real idempotency_keys table.
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { lastValueFrom, Observable } from 'rxjs';
import { AppError, ErrorCode } from '#errors';
import { preparedSqlOf } from '#ledger-store';
import { idempotencyClaims, IdempotencyInterceptor, IdempotencyStore, requestFingerprint } from '#platform';

describe('an idempotent retry racing the first call', () => {
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: process.env.TEST_RUN_DATABASE_URL, max: 2 });
  });
  afterAll(() => pool.end());

  function call(store: IdempotencyStore, key: string, firstCommits: { path: string; answer: object }) {
    const partyId = randomUUID();
    const request = { method: 'POST', originalUrl: '/v1/listings/l1/purchase', body: {}, headers: { 'idempotency-key': key }, principal: { keyId: 'k1', partyId } };
    const context = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ statusCode: 201 }) }) } as unknown as ExecutionContext;
    const handler: CallHandler = {
      handle: () =>
        new Observable((subscriber) => {
          const claim = { scope: `party:${partyId}`, key, requestHash: requestFingerprint('POST', firstCommits.path, {}), successStatus: 201 };
          store
            .recordSent(claim, 201, JSON.stringify(firstCommits.answer))
            .then(() => subscriber.error(new AppError(ErrorCode.ListingNotAvailable, 'The listing was sold or withdrawn in the meantime.')));
        }),
    };
    return lastValueFrom(new IdempotencyInterceptor(store).intercept(context, handler));
  }

  it("replays the first call's answer instead of the refusal its change caused", async () => {
    const answer = await call(new IdempotencyStore(preparedSqlOf(pool)), randomUUID(), { path: '/v1/listings/l1/purchase', answer: { settlement: { id: 's1' } } });
    expect(answer).toBeInstanceOf(Response);
    const replayed = answer as Response;
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotency-replayed')).toBe('true');
    expect(await replayed.json()).toEqual({ settlement: { id: 's1' } });
  });

  it('answers a refusal this very call stored as itself, not as a replay', async () => {
    const store = new IdempotencyStore(preparedSqlOf(pool));
    const key = randomUUID();
    const partyId = randomUUID();
    const request = { method: 'POST', originalUrl: '/v1/listings/l2/purchase', body: {}, headers: { 'idempotency-key': key }, principal: { keyId: 'k1', partyId } };
    const context = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ statusCode: 201 }) }) } as unknown as ExecutionContext;
    const refusal = new AppError(ErrorCode.LicenceConflict, 'A licence over the same scope was granted concurrently.');
    const handler: CallHandler = {
      // As IdempotentTransaction.refuse does: the refusal is stored under the key, marked on the claim, then thrown.
      handle: () =>
        new Observable((subscriber) => {
          const claim = idempotencyClaims.getStore()!;
          store.recordSent(claim, 409, JSON.stringify({ error: { code: refusal.code } })).then(() => {
            claim.stored = { status: 409, body: { error: { code: refusal.code } } };
            subscriber.error(refusal);
          });
        }),
    };
    await expect(lastValueFrom(new IdempotencyInterceptor(store).intercept(context, handler))).rejects.toBe(refusal);
  });

  it('still refuses when what committed under the key was another request', async () => {
    await expect(call(new IdempotencyStore(preparedSqlOf(pool)), randomUUID(), { path: '/v1/listings/other/purchase', answer: {} })).rejects.toMatchObject({ code: 'LISTING_NOT_AVAILABLE' });
  });
});
