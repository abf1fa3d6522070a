// Where the TSA's credentials live: PEM files in <dataDir>/keys/tsa, created
// on first start (owner-only permissions on the directory and the keys), or
// files named in the configuration. Several processes may start at once, so
// creation writes a complete directory elsewhere and renames it into place:
// exactly one set of credentials ever appears, and nobody reads half of one.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateTsaCredentials, loadTsaCredentials, type TsaCredentialPems, type TsaCredentials } from './tsa-credentials.js';

export interface TsaCredentialFiles {
  caCert: string;
  tsaCert: string;
  tsaKey: string;
}

export function tsaCredentialsDir(dataDir: string): string {
  return path.join(dataDir, 'keys', 'tsa');
}

function filesIn(dir: string): TsaCredentialFiles {
  return { caCert: path.join(dir, 'ca.pem'), tsaCert: path.join(dir, 'tsa.pem'), tsaKey: path.join(dir, 'tsa.key') };
}

function readPems(files: TsaCredentialFiles): TsaCredentialPems {
  return { caCertPem: fs.readFileSync(files.caCert, 'utf8'), tsaCertPem: fs.readFileSync(files.tsaCert, 'utf8'), tsaKeyPem: fs.readFileSync(files.tsaKey, 'utf8') };
}

export interface LoadedTsaCredentials {
  pems: TsaCredentialPems;
  credentials: TsaCredentials;
  /** True when this call generated them. */
  created: boolean;
  source: string;
}

/**
 * Loads the configured files, else <dataDir>/keys/tsa, generating it first if
 * absent. Throws TsaCredentialsError when the files do not form a usable TSA.
 */
export async function loadOrCreateTsaCredentials(options: { dataDir: string; name: string; files?: TsaCredentialFiles }): Promise<LoadedTsaCredentials> {
  if (options.files) {
    const pems = readPems(options.files);
    return { pems, credentials: loadTsaCredentials(pems), created: false, source: options.files.tsaCert };
  }
  const dir = tsaCredentialsDir(options.dataDir);
  let created = false;
  if (!fs.existsSync(path.join(dir, 'tsa.key'))) {
    const generated = await generateTsaCredentials(options.name);
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
    const staging = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.mkdirSync(staging, { mode: 0o700 });
    fs.writeFileSync(path.join(staging, 'ca.pem'), generated.caCertPem, { mode: 0o644 });
    fs.writeFileSync(path.join(staging, 'tsa.pem'), generated.tsaCertPem, { mode: 0o644 });
    fs.writeFileSync(path.join(staging, 'tsa.key'), generated.tsaKeyPem, { mode: 0o600 });
    // Kept (owner-only) to issue a replacement TSA certificate later; move it offline if you can.
    fs.writeFileSync(path.join(staging, 'ca.key'), generated.caKeyPem, { mode: 0o600 });
    try {
      fs.renameSync(staging, dir);
      created = true;
    } catch (error) {
      // Another process won the race: use its credentials.
      fs.rmSync(staging, { recursive: true, force: true });
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
  const pems = readPems(filesIn(dir));
  return { pems, credentials: loadTsaCredentials(pems), created, source: dir };
}
