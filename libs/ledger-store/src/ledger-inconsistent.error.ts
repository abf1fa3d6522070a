// The stored tree, entries or checkpoints no longer agree with what the log
// signed: some row was altered around the append-only triggers. The API
// answers 503 LEDGER_INCONSISTENT rather than serve a proof that would not
// verify; `npm run ledger:check` finds the first bad index.
export class LedgerInconsistentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerInconsistentError';
  }
}
