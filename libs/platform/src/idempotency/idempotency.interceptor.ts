// Makes a mutating route safe to retry. With the same Idempotency-Key and the
// same request, a retry gets the first answer again (marked with the header
// Idempotency-Replayed: true); the same key with a different request is
// refused; a retry racing the first call waits for it inside the database and
// then replays it. Keys are scoped to the caller's party (or key, for the
// configuration admin key).
//
// Exactly-once needs the route's use case to write through
// IdempotentTransaction, which claims the key and stores the answer in the
// same transaction as the change. Refusals that changed nothing (bad input,
// unknown listing) are not stored, so the client can fix the request and
// retry under the same key.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { AppError, ErrorCode } from '#errors';
import { idempotencyClaims, IdempotencyRaceLost, type IdempotencyClaim } from './idempotency-claim.js';
import { IdempotencyStore, type StoredAnswer } from './idempotency.store.js';
import { isValidIdempotencyKey, requestFingerprint } from './request-fingerprint.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

interface Caller {
  keyId: string;
  partyId: string | null;
}

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return from(this.handle(http.getRequest<FastifyRequest & { principal?: Caller }>(), http.getResponse<FastifyReply>(), next));
  }

  private async handle(request: FastifyRequest & { principal?: Caller }, response: FastifyReply, next: CallHandler): Promise<unknown> {
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (!isValidIdempotencyKey(key)) {
      throw new AppError(
        ErrorCode.IdempotencyKeyRequired,
        'Send an Idempotency-Key header (1-255 printable ASCII characters, e.g. a UUID) with every mutating call; reuse it to retry safely.',
      );
    }
    const caller = request.principal;
    const scope = caller?.partyId ? `party:${caller.partyId}` : caller ? `key:${caller.keyId}` : 'anonymous';
    const claim: IdempotencyClaim = {
      scope,
      key,
      requestHash: requestFingerprint(request.method, request.originalUrl, request.body),
      successStatus: response.statusCode,
    };

    const earlier = await this.store.find(scope, key);
    if (earlier) return this.replay(earlier, claim);

    let body: unknown;
    try {
      body = await idempotencyClaims.run(claim, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    } catch (error) {
      if (error instanceof IdempotencyRaceLost) {
        const winner = await this.store.find(scope, key);
        if (!winner) throw new AppError(ErrorCode.IdempotencyInProgress, 'A request with this Idempotency-Key is still in progress; retry shortly.');
        return this.replay(winner, claim);
      }
      // A retry that started as the first call committed can be refused by
      // what that call changed (the listing it bought is sold) before it
      // reaches the key: the first call's answer is the one to give. (Not a
      // refusal this call stored itself: that is its own first answer.)
      if (error instanceof AppError && !claim.stored) {
        const first = await this.store.find(scope, key);
        if (first?.requestHash.equals(claim.requestHash)) return this.replay(first, claim);
      }
      throw error;
    }
    const sent = JSON.stringify(body ?? null); // serialised once: compared, then stored
    if (!claim.stored || JSON.stringify(claim.stored.body) !== sent) {
      await this.store.recordSent(claim, claim.successStatus, sent);
    }
    return body;
  }

  private replay(earlier: StoredAnswer, claim: IdempotencyClaim): globalThis.Response {
    if (!earlier.requestHash.equals(claim.requestHash)) {
      throw new AppError(
        ErrorCode.IdempotencyKeyReused,
        'This Idempotency-Key was already used for a different request; use a new key for a new request.',
      );
    }
    // A web Response is sent as it is, with its own status, by Nest.
    return new globalThis.Response(earlier.body === null ? null : JSON.stringify(earlier.body), {
      status: earlier.status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-replayed': 'true' },
    });
  }
}
