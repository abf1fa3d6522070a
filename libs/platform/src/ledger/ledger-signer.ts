// The ledger's signing key, and the start-up check that it is the key that
// signed this database's ledger. A lost or replaced key (DATA_DIR pointed
// elsewhere, a recreated volume) used to be replaced silently by a new one:
// the sequencer then refused to extend the ledger and retried forever, every
// registration was answered 202 and never integrated, every proof 503, and
// /v1/ledger/key published a key that matched no checkpoint.
import pg from 'pg';
import { createNoteSigner, signedByOtherKeysOnly, verifierKey, type NoteSigner } from '#ledger';
import { loadOrCreateSigningSeed, signingKeyPath } from '#ledger-store';
import { exitWithConfigError, type AppConfig } from '#config';

/** The note signer: LEDGER_SIGNING_KEY, else the key file in the data directory (created on first use). */
export function ledgerSigner(config: AppConfig): NoteSigner {
  return createNoteSigner(config.ledger.keyName, loadOrCreateSigningSeed(config.dataDir, config.ledger.signingKeySeed));
}

/** What is wrong, in one line, when the ledger's latest checkpoint was not signed by `signer`; undefined when it was (or there is none yet). */
export async function ledgerKeyMismatch(config: AppConfig, signer: NoteSigner): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'ledger-key-check' });
  await client.connect();
  try {
    const { rows } = await client.query<{ tree_size: string; note: string }>('SELECT tree_size, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1');
    // A bad signature by this very key is tampering, not a key problem: ledger:check reports it, and the sequencer refuses to sign on.
    if (!rows[0] || !signedByOtherKeysOnly(rows[0].note, verifierKey(signer))) return undefined;
    const source = config.ledger.signingKeySeed ? 'LEDGER_SIGNING_KEY' : `the key file ${signingKeyPath(config.dataDir)} (DATA_DIR)`;
    return (
      `the ledger in this database (tree size ${rows[0].tree_size}) was signed by another key than ${verifierKey(signer)}, from ${source}. ` +
      'Restore the original signing key, or use the DATA_DIR that belongs to this DATABASE_URL.'
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** How long a starting process waits for the database to answer the key check (as the data source's own retries). */
const DATABASE_WAIT_MS = 30_000;

/**
 * For a process entry point: stops it with one line naming the problem, as a
 * configuration error does. A database that is still starting is waited for.
 */
export async function exitOnLedgerKeyMismatch(config: AppConfig): Promise<void> {
  const signer = ledgerSigner(config);
  const deadline = Date.now() + DATABASE_WAIT_MS;
  for (;;) {
    try {
      const problem = await ledgerKeyMismatch(config, signer);
      if (problem) exitWithConfigError(problem);
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        process.stderr.write(`Cannot check the ledger signing key: the database did not answer within ${DATABASE_WAIT_MS / 1000} s (${(error as Error).message}).\n`);
        process.exit(1);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
