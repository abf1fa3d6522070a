import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateSigningSeed, loadSigningSeed, signingKeyPath } from './signing-key-file.js';

describe('the signing key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-key-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is created once, owner-only, and read back the same by every later call', () => {
    expect(loadSigningSeed(dir)).toBeUndefined();
    const first = loadOrCreateSigningSeed(dir);
    expect(first).toHaveLength(32);
    expect(fs.statSync(signingKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadOrCreateSigningSeed(dir)).equals(Buffer.from(first))).toBe(true);
    expect(fs.readdirSync(path.dirname(signingKeyPath(dir)))).toEqual(['ledger-ed25519.seed']); // no draft left behind
  });

  it('keeps the key already there when another process created it first', () => {
    fs.mkdirSync(path.dirname(signingKeyPath(dir)), { recursive: true });
    const theirs = Buffer.alloc(32, 7);
    fs.writeFileSync(signingKeyPath(dir), theirs.toString('base64'));
    expect(Buffer.from(loadOrCreateSigningSeed(dir)).equals(theirs)).toBe(true);
  });

  it('prefers the configured seed and never creates a file for it', () => {
    const configured = Buffer.alloc(32, 1).toString('base64');
    expect(Buffer.from(loadOrCreateSigningSeed(dir, configured)).toString('base64')).toBe(configured);
    expect(fs.existsSync(signingKeyPath(dir))).toBe(false);
  });
});
