// `npm run ledger:check`: recomputes the tree from every stored entry and
// compares it with stored nodes and signed checkpoints. Exit 0 when intact;
// exit 1 with the first bad index when anything was altered.
import pg from 'pg';
import { createNoteSigner, verifierKey } from '#ledger';
import { checkLedger, loadOrCreateSigningSeed, sqlOf } from '#ledger-store';
import { loadConfigOrExit } from '#config';

const config = loadConfigOrExit({ REDIS_URL: 'redis://unused', ...process.env });
// The pinned key: LEDGER_VERIFIER_KEY when given (an outside auditor), else ours.
const vkey =
  process.env.LEDGER_VERIFIER_KEY ??
  verifierKey(createNoteSigner(config.ledger.keyName, loadOrCreateSigningSeed(config.dataDir, config.ledger.signingKeySeed)));
const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'ledger-check' });
await client.connect();
try {
  // One snapshot for the whole check: batches a running sequencer integrates
  // meanwhile must not look like tampering.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const result = await checkLedger(sqlOf(client), vkey);
  await client.query('COMMIT');
  if (result.ok) {
    process.stdout.write(`ledger OK: ${result.entries} entries, ${result.checkpoints} checkpoints verified against ${vkey}\n`);
  } else {
    process.stdout.write(`ledger TAMPERED at index ${result.firstBadIndex}: ${result.problem}\n`);
    process.exitCode = 1;
  }
} finally {
  await client.end();
}
