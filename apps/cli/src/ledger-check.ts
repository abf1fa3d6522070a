// `npm run ledger:check`: recomputes the tree from every stored entry and
// compares it with stored nodes and signed checkpoints. Exit 0 when intact;
// exit 1 with the first bad index when anything was altered; exit 78 when it
// has no key to check against, or a key that signed none of the checkpoints.
import pg from 'pg';
import { createNoteSigner, signedByOtherKeysOnly, verifierKey } from '#ledger';
import { checkLedger, loadSigningSeed, signingKeyPath, sqlOf } from '#ledger-store';
import { exitWithConfigError, loadConfigOrExit } from '#config';

const config = loadConfigOrExit({ REDIS_URL: 'redis://unused', ...process.env });

// The pinned key: LEDGER_VERIFIER_KEY when given (an outside auditor), else
// ours, read but never created (a new key would only call good data bad).
const seed = process.env.LEDGER_VERIFIER_KEY ? undefined : loadSigningSeed(config.dataDir, config.ledger.signingKeySeed);
if (!process.env.LEDGER_VERIFIER_KEY && !seed) {
  exitWithConfigError(`no key to check against: LEDGER_SIGNING_KEY is unset and ${signingKeyPath(config.dataDir)} does not exist; set DATA_DIR, or pass the log's verifier key as LEDGER_VERIFIER_KEY`);
}
const vkey = process.env.LEDGER_VERIFIER_KEY ?? verifierKey(createNoteSigner(config.ledger.keyName, seed!));
const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'ledger-check' });
await client.connect();
try {
  // One snapshot for the whole check: batches a running sequencer integrates
  // meanwhile must not look like tampering.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // Neither the first nor the latest checkpoint signed by this key: the key
  // is wrong, not the ledger. (One of them alone is for checkLedger to report.)
  const ends = (await client.query<{ note: string }>(
    `(SELECT note FROM ledger_checkpoints ORDER BY tree_size LIMIT 1) UNION ALL (SELECT note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1)`,
  )).rows;
  if (ends.length && ends.every(({ note }) => signedByOtherKeysOnly(note, vkey))) {
    exitWithConfigError(`no checkpoint here is signed by ${vkey}: this is not the log's key (check DATA_DIR, LEDGER_SIGNING_KEY or LEDGER_VERIFIER_KEY), or all its checkpoints were replaced`);
  }
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
