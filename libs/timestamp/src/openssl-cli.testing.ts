// Test support: runs the real /usr/bin/openssl on files in a throw-away
// directory, so interoperability is checked against OpenSSL itself rather
// than against our own reading of the RFCs.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const OPENSSL = '/usr/bin/openssl';

export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs openssl with `args` in `cwd`; resolves with the exit code instead of throwing on failure. */
export async function openssl(cwd: string, args: string[]): Promise<OpensslResult> {
  try {
    const { stdout, stderr } = await execFileAsync(OPENSSL, args, { cwd, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error; // spawn failure, not an openssl exit status
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface ScratchDir {
  path: string;
  file(name: string): string;
  write(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function scratchDir(prefix = 'tsa-spec-'): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    write: async (name, content) => {
      await writeFile(join(path, name), content);
      return join(path, name);
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** An integer as `openssl ts -text` prints it: upper-case hex padded to whole octets, e.g. 0x03E9. */
export function opensslHex(value: bigint): string {
  const hex = value.toString(16).toUpperCase();
  return `0x${hex.length % 2 === 1 ? `0${hex}` : hex}`;
}
