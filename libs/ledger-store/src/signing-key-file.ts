// The checkpoint signing key lives in a file in the data directory with
// owner-only permissions, never in the database and never in a log. The first
// process to start creates it; the others read the same file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'ledger-ed25519.seed');
}

/** Returns the 32-byte Ed25519 seed: from configuration, else the key file (created if absent). */
export function loadOrCreateSigningSeed(dataDir: string, configuredSeed?: string): Uint8Array {
  if (configuredSeed) return Buffer.from(configuredSeed, 'base64');
  const file = signingKeyPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if the file exists, so two processes never write two keys.
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const seed = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (seed.length !== 32) throw new Error(`signing key file ${file} does not hold a base64 32-byte seed`);
  return seed;
}
