// A process started with another signing key than the one that signed the
// ledger must stop at once with one line saying so, not run on with a
// sequencer that can never extend the ledger.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createNoteSigner } from '#ledger';
import { enqueueEntry, LedgerSequencer, sqlOf } from '#ledger-store';
import { ledgerKeyMismatch, ledgerSigner } from '#platform';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { testConfig } from './support/test-app.js';

const run = promisify(execFile);
const KEY_NAME = 'test-ledger';
const seed = randomBytes(32).toString('base64');

describe('the ledger signing key at start-up', () => {
  let db: ScratchDatabase;
  let dataDir: string;
  const configWith = (overrides: Record<string, string>) => testConfig({ DATABASE_URL: db.url, LEDGER_KEY_NAME: KEY_NAME, DATA_DIR: dataDir, ...overrides });

  beforeAll(async () => {
    db = await createScratchDatabase(`signing_key_${Math.random().toString(36).slice(2, 8)}`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-key-e2e-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts any key while the ledger is empty, then only the key that signed it', async () => {
    const original = configWith({ LEDGER_SIGNING_KEY: seed });
    const other = configWith({ LEDGER_SIGNING_KEY: randomBytes(32).toString('base64') });
    expect(await ledgerKeyMismatch(other, ledgerSigner(other))).toBeUndefined();

    const sequencer = new LedgerSequencer({ databaseUrl: db.url, signer: createNoteSigner(KEY_NAME, Buffer.from(seed, 'base64')), origin: 'test/ledger', batchSize: 10, idlePollMs: 20 });
    for (let i = 0; i < 3; i++) {
      await enqueueEntry(sqlOf(db.pool), { kind: 'work.registered', subject: { type: 'work', id: randomUUID() }, workSha256: randomBytes(32).toString('hex'), parties: [] });
    }
    sequencer.start();
    const deadline = Date.now() + 10_000;
    while (Number((await db.pool.query('SELECT count(*) AS n FROM ledger_entries')).rows[0].n) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sequencer.stop();

    expect(await ledgerKeyMismatch(original, ledgerSigner(original))).toBeUndefined();
    const problem = await ledgerKeyMismatch(other, ledgerSigner(other));
    expect(problem).toContain('tree size 3');
    expect(problem).toContain('from LEDGER_SIGNING_KEY');
  });

  it('stops a process whose data directory holds another key with one line and the configuration exit code', async () => {
    const freshDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-key-e2e-fresh-'));
    try {
      const outcome = await run(process.execPath, ['dist/apps/registry/src/main.js'], {
        env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: process.env.TEST_RUN_REDIS_URL, DATA_DIR: freshDataDir, LEDGER_KEY_NAME: KEY_NAME, REGISTRY_PORT: '39217', LOG_LEVEL: 'error', ADMIN_API_KEY: 'signing-key-test-admin-0123456789' },
        timeout: 30_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(outcome.code).toBe(78);
      const lines = outcome.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Configuration error: the ledger in this database \(tree size 3\) was signed by another key than test-ledger\+[0-9a-f]{8}\+\S+, from the key file .*ledger-ed25519\.seed \(DATA_DIR\)\. Restore the original signing key/);
    } finally {
      fs.rmSync(freshDataDir, { recursive: true, force: true });
    }
  });
});
