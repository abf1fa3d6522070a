// Migration 1764960000000 moves the indexed 80% grid windows of images
// fingerprinted before it into their own key space: afterwards the stored
// rows are exactly what imageIndexRows writes today, and down() restores them.
import type { QueryRunner } from 'typeorm';
import { REGION_LAYOUT, type ImageFingerprint } from '#fingerprint';
import { HashClass, imageIndexRows } from '#infringement';
import { ImageGridClasses1764960000000 } from '../../migrations/1764960000000-image-grid-classes.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

const SPAN = 2 ** 18;
const hash = (seed: number) => ((BigInt(seed) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn).toString(16).padStart(16, '0');
const fingerprint: ImageFingerprint = { global: hash(1), mirrored: hash(2), regions: REGION_LAYOUT.map((_, i) => hash(10 + i)), width: 640, height: 480, flat: false };

describe('migration: 80% grid windows in their own key space', () => {
  let db: ScratchDatabase;
  const migration = new ImageGridClasses1764960000000();
  let runner: QueryRunner;

  beforeAll(async () => {
    db = await createScratchDatabase('grid_classes');
    runner = { query: (text: string) => db.pool.query(text) } as unknown as QueryRunner;
  });
  afterAll(async () => db.drop());

  const stored = async () =>
    (await db.pool.query<{ chunk_key: number; hash: string; slot: number }>('SELECT chunk_key, hash::text, slot FROM image_hash_keys WHERE image_id = 7 ORDER BY chunk_key, slot')).rows.map((r) => ({
      chunkKey: r.chunk_key,
      hash: r.hash,
      slot: r.slot,
    }));
  const sorted = <T extends { chunkKey: number; slot: number }>(rows: T[]) => [...rows].sort((a, b) => a.chunkKey - b.chunkKey || a.slot - b.slot);

  it('re-keys rows written before it and only those; down() puts them back', async () => {
    const today = imageIndexRows(fingerprint);
    expect(today.some((r) => Math.floor(r.chunkKey / SPAN) === HashClass.Grid80)).toBe(true);
    // Before the migration every grid window was in class 1 (now Grid90).
    const before = today.map((r) => (Math.floor(r.chunkKey / SPAN) === HashClass.Grid80 ? { ...r, chunkKey: r.chunkKey - (HashClass.Grid80 - HashClass.Grid90) * SPAN } : r));
    for (const r of before) await db.pool.query('INSERT INTO image_hash_keys (chunk_key, hash, image_id, slot) VALUES ($1, $2, 7, $3)', [r.chunkKey, r.hash, r.slot]);

    await migration.up(runner);
    expect(await stored()).toEqual(sorted(today));

    await migration.down(runner);
    expect(await stored()).toEqual(sorted(before));
  });
});
