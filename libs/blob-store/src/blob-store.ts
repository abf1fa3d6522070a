// Content-addressed file store under the data directory: a blob's name is its
// SHA-256, so the same content is kept once and a name proves the content.
// Writes stream through the hash into a temporary file and are renamed into
// place only when complete, so a crash never leaves a half blob under a hash.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  sha256: string;
  size: number;
  path: string;
}

/**
 * Content hashed into a temporary file, not yet in the store: commit() moves
 * it into place, discard() removes it. Lets a caller keep an upload out of
 * the store until the request that brought it is accepted.
 */
export interface StagedBlob {
  sha256: string;
  size: number;
  commit(): Promise<StoredBlob>;
  /** Removes the temporary file; does nothing once committed. */
  discard(): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob exceeds the limit of ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/** A pass-through stream that hashes and counts what flows through it, failing past `maxBytes`. */
export function hashingMeter(maxBytes: number): Transform & { result(): { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) return callback(new BlobTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return Object.assign(meter, { result: () => ({ sha256: hash.digest('hex'), size }) });
}

export class BlobStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a lower-case hex SHA-256');
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  open(sha256: string): Readable {
    return fs.createReadStream(this.pathOf(sha256));
  }

  /** Streams `source` into the store, hashing as it goes; memory use stays flat. */
  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    return (await this.stage(source, maxBytes)).commit();
  }

  /** Like put, but leaves the content in a temporary file until commit(). */
  async stage(source: Readable, maxBytes: number): Promise<StagedBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    const meter = hashingMeter(maxBytes);
    try {
      await pipeline(source, meter, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      const { sha256, size } = meter.result();
      const final = this.pathOf(sha256);
      let committed: Promise<StoredBlob> | undefined;
      return {
        sha256,
        size,
        commit: () =>
          (committed ??= (async () => {
            await fs.promises.mkdir(path.dirname(final), { recursive: true });
            await fs.promises.rename(tmp, final);
            return { sha256, size, path: final };
          })()),
        discard: async () => {
          if (!committed) await fs.promises.rm(tmp, { force: true });
        },
      };
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
  }
}
