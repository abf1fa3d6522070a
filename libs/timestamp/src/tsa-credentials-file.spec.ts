import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateTsaCredentials, tsaCredentialsDir } from './tsa-credentials-file.js';

describe('loadOrCreateTsaCredentials', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsa-files-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the credentials once, with owner-only keys, and loads the same ones afterwards', async () => {
    const first = await loadOrCreateTsaCredentials({ dataDir, name: 'Test' });
    expect(first.created).toBe(true);
    const dir = tsaCredentialsDir(dataDir);
    expect(fs.statSync(path.join(dir, 'tsa.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o077).toBe(0);
    const again = await loadOrCreateTsaCredentials({ dataDir, name: 'Test' });
    expect(again.created).toBe(false);
    expect(again.pems).toEqual(first.pems);
    expect(again.credentials.tsaCert.subject).toContain('Test TSA');
  });

  it('lets concurrent starts agree on one set of credentials', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateTsaCredentials({ dataDir, name: 'Race' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const r of results) expect(r.pems).toEqual(results[0]!.pems);
    expect(fs.readdirSync(path.dirname(tsaCredentialsDir(dataDir)))).toEqual(['tsa']); // no staging leftovers
  });

  it('loads configured files instead, and refuses a key that does not match the certificate', async () => {
    const made = await loadOrCreateTsaCredentials({ dataDir, name: 'Configured' });
    const dir = tsaCredentialsDir(dataDir);
    const files = { caCert: path.join(dir, 'ca.pem'), tsaCert: path.join(dir, 'tsa.pem'), tsaKey: path.join(dir, 'tsa.key') };
    const loaded = await loadOrCreateTsaCredentials({ dataDir: '/nonexistent', name: 'x', files });
    expect(loaded.pems).toEqual(made.pems);
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsa-other-'));
    try {
      await loadOrCreateTsaCredentials({ dataDir: otherDir, name: 'Other' });
      await expect(loadOrCreateTsaCredentials({ dataDir: '/nonexistent', name: 'x', files: { ...files, tsaKey: path.join(tsaCredentialsDir(otherDir), 'tsa.key') } })).rejects.toThrow(/does not match/);
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
