// PostgreSQL NOTIFY channels and advisory lock ids shared by every process.
// Renaming a channel while old processes run would leave them deaf: don't.
export const INTEGRATED_CHANNEL = 'ledger_integrated';
/** Held (session level) by the one active sequencer across all processes. */
export const SEQUENCER_LOCK_ID = 7_362_100;
