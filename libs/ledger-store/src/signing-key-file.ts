// The checkpoint signing key lives in a file in the data directory with
// owner-only permissions, never in the database and never in a log. The first
// process to start creates it; the others read the same file.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'ledger-ed25519.seed');
}

/** The 32-byte Ed25519 seed from configuration or the key file; undefined when neither exists. */
export function loadSigningSeed(dataDir: string, configuredSeed?: string): Uint8Array | undefined {
  if (configuredSeed) return Buffer.from(configuredSeed, 'base64');
  const file = signingKeyPath(dataDir);
  if (!fs.existsSync(file)) return undefined;
  const seed = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (seed.length !== 32) throw new Error(`signing key file ${file} does not hold a base64 32-byte seed`);
  return seed;
}

/** Returns the 32-byte Ed25519 seed: from configuration, else the key file (created if absent). */
export function loadOrCreateSigningSeed(dataDir: string, configuredSeed?: string): Uint8Array {
  const existing = loadSigningSeed(dataDir, configuredSeed);
  if (existing) return existing;
  const file = signingKeyPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a file of our own, then linked into place: link fails if
  // the key exists, so two processes never write two keys, and no process
  // ever reads a key file that is still being written.
  const seed = randomBytes(32).toString('base64') + '\n';
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(draft, seed, { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
      // A file system without hard links: created in one write, which 'wx' keeps to one process.
      writeOnce(file, seed);
    } else if (code !== 'EEXIST') {
      throw error;
    }
  } finally {
    fs.rmSync(draft, { force: true });
  }
  return loadSigningSeed(dataDir)!;
}

function writeOnce(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
