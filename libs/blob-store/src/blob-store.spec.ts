import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore, BlobTooLargeError } from './blob-store.js';

describe('BlobStore', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'blob-store-spec-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const tmpFiles = () => (fs.existsSync(path.join(root, 'tmp')) ? fs.readdirSync(path.join(root, 'tmp')) : []);

  it('stores a stream of many chunks of odd sizes under its SHA-256, byte for byte', async () => {
    const chunks = Array.from({ length: 300 }, (_, i) => randomBytes(1 + ((i * 7919) % 70_000)));
    const whole = Buffer.concat(chunks);
    const blob = await new BlobStore(root).put(Readable.from(chunks), whole.length);
    expect(blob.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(blob.size).toBe(whole.length);
    expect(fs.readFileSync(blob.path).equals(whole)).toBe(true);
    expect(tmpFiles()).toEqual([]);
  });

  it('refuses content over the limit with BlobTooLargeError and leaves no file behind', async () => {
    const store = new BlobStore(root);
    await expect(store.put(Readable.from([randomBytes(600), randomBytes(600)]), 1000)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(tmpFiles()).toEqual([]);
    expect(fs.existsSync(path.join(root, 'sha256'))).toBe(false);
  });

  it('keeps staged content out of the store until commit, and discard removes it', async () => {
    const store = new BlobStore(root);
    const content = randomBytes(5000);
    const staged = await store.stage(Readable.from([content]), 10_000);
    expect(store.has(staged.sha256)).toBe(false);
    await staged.discard();
    expect(tmpFiles()).toEqual([]);
    const kept = await store.stage(Readable.from([content]), 10_000);
    await kept.commit();
    expect(store.has(kept.sha256)).toBe(true);
  });

  it('removes the temporary file when the source fails midway', async () => {
    const failing = new Readable({
      read() {
        this.push(randomBytes(1000));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(new BlobStore(root).put(failing, 1_000_000)).rejects.toThrow('connection reset');
    expect(tmpFiles()).toEqual([]);
  });
});
