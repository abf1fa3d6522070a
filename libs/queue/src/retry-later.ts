// A job that cannot run yet (its work is not integrated into the ledger, its
// fingerprint not written) is not failing: it waits without spending one of
// its attempts. Spent attempts used to leave such jobs in the failed set
// after about 30 s of backoff, so a ledger stall of a minute during a deploy
// lost the scans of every work registered just before it.

/** Thrown by a job handler: run this job again later; not an error. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

/** How many times a job may wait: with the delays below, about a day. */
export const MAX_RETRY_LATER_WAITS = 300;
const LONGEST_WAIT_MS = 5 * 60_000;

/** The wait before the job runs again, doubling from `firstMs` up to five minutes. */
export function retryLaterDelay(waits: number, firstMs: number): number {
  return Math.min(LONGEST_WAIT_MS, firstMs * 2 ** Math.min(waits, 20));
}
