// The Idempotency-Key of the request being handled, carried through the
// async call chain so that the business transaction can claim the key and
// store the answer without every layer passing it along.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface IdempotencyClaim {
  /** Whose keys these are: one party's keys never collide with another's. */
  scope: string;
  key: string;
  /** SHA-256 of method, path and canonical body: a reused key must carry the same request. */
  requestHash: Buffer;
  /** The status the route answers with when it succeeds. */
  successStatus: number;
  /** Set when a business transaction stored the answer with its change. */
  stored?: { status: number; body: unknown };
}

export const idempotencyClaims = new AsyncLocalStorage<IdempotencyClaim>();

/** The claim of the current request, if it is an idempotent call. */
export function currentIdempotencyClaim(): IdempotencyClaim | undefined {
  return idempotencyClaims.getStore();
}

/**
 * Thrown inside a business transaction when another request with the same key
 * committed first (the transaction waited for it on the unique key). The
 * transaction rolls back and the interceptor answers with the stored result.
 */
export class IdempotencyRaceLost extends Error {
  constructor() {
    super('another request with this Idempotency-Key completed first');
    this.name = 'IdempotencyRaceLost';
  }
}
