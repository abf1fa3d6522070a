// Runs a business change in one database transaction that also claims the
// request's Idempotency-Key (first statement) and stores the answer (last
// statement). So the change and its answer commit together, and a concurrent
// retry with the same key waits on the key and then replays the answer
// instead of running the change twice. Transient conflicts (deadlock,
// serialisation failure) are retried a few times with jitter.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError, ErrorCode, httpStatusOf } from '#errors';
import { sqlState } from '#persistence';
import { currentIdempotencyClaim, IdempotencyRaceLost, type IdempotencyClaim } from './idempotency-claim.js';
import { IdempotencyStore } from './idempotency.store.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 5;

export function isTransientConflict(error: unknown): boolean {
  return RETRYABLE.has(sqlState(error) ?? '');
}

/** The error body the HTTP layer sends for an AppError (see ErrorResponseFilter). */
export function errorAnswer(error: AppError): { status: number; body: unknown } {
  return {
    status: httpStatusOf(error.code),
    body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
  };
}

@Injectable()
export class IdempotentTransaction {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: IdempotencyStore,
  ) {}

  /**
   * `work` runs inside the transaction; `answer` turns its result into the
   * response body stored with it (default: the result itself). Outside an
   * idempotent request it is a plain transaction with retries.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>, answer: (result: T) => unknown = (result) => result): Promise<T> {
    const claim = currentIdempotencyClaim();
    return this.withRetries(() =>
      this.dataSource.transaction(async (manager) => {
        if (claim) claim.stored = undefined;
        if (claim && !(await this.store.claimWithin(manager, claim))) throw new IdempotencyRaceLost();
        const result = await work(manager);
        if (claim && !claim.stored) {
          const body = answer(result);
          await this.store.completeWithin(manager, claim, claim.successStatus, body);
          claim.stored = { status: claim.successStatus, body };
        }
        return result;
      }),
    );
  }

  /**
   * For a change that one SQL statement makes as its own transaction: a
   * database function that claims the key first and stores the answer last,
   * exactly as run() does, but without the BEGIN/COMMIT and per-step round
   * trips. `statement` gets the request's claim (undefined outside an
   * idempotent request) and returns 'race-lost' when the key was already
   * claimed by a committed request, else its result and the answer it stored.
   * Transient conflicts are retried as in run().
   */
  async runInOneStatement<T>(statement: (claim: IdempotencyClaim | undefined) => Promise<{ result: T; stored: unknown } | 'race-lost'>): Promise<T> {
    const claim = currentIdempotencyClaim();
    return this.withRetries(async () => {
      if (claim) claim.stored = undefined;
      const outcome = await statement(claim);
      if (outcome === 'race-lost') throw new IdempotencyRaceLost();
      if (claim) claim.stored = { status: claim.successStatus, body: outcome.stored };
      return outcome.result;
    });
  }

  /**
   * Stores the answer now, inside `work`, instead of after it: for work whose
   * last statement locks busy rows, so that nothing but COMMIT follows it.
   */
  async answerWithin(manager: EntityManager, body: unknown): Promise<void> {
    const claim = currentIdempotencyClaim();
    if (!claim) return;
    await this.store.completeWithin(manager, claim, claim.successStatus, body);
    claim.stored = { status: claim.successStatus, body };
  }

  /**
   * Records the trace of a refused call (e.g. a voided hold) together with
   * the refusal it answered, so a retry under the same key gets the same
   * refusal. One SQL statement, its own transaction, claims the key with the
   * answer and writes the trace (one round trip, not a five-statement
   * transaction): `statement` gets the claim (undefined outside an
   * idempotent request) and the answer to store, and returns false when a
   * committed request already holds the key. Returns the error for the
   * caller to throw.
   */
  async refuse(
    error: AppError,
    statement: (claim: IdempotencyClaim | undefined, answer: { status: number; body: unknown }) => Promise<boolean>,
  ): Promise<AppError> {
    const claim = currentIdempotencyClaim();
    const answer = errorAnswer(error);
    await this.withRetries(async () => {
      if (!(await statement(claim, answer))) throw new IdempotencyRaceLost();
      if (claim) claim.stored = answer;
    });
    return error;
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isTransientConflict(error)) throw error;
        if (n >= MAX_ATTEMPTS) {
          throw new AppError(ErrorCode.ConcurrentUpdate, 'The request collided with concurrent changes several times; retry it with the same Idempotency-Key.');
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** n));
      }
    }
  }
}
