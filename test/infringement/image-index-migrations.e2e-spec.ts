// Migrations that move indexed image hashes between key spaces: afterwards
// the rows of an image fingerprinted before them are exactly what
// imageIndexRows writes today, and down() restores them.
//   1764960000000: 80% grid windows out of class 1 into their own (Grid80).
//   1764970000000: the centre out of class 2 into the rotated centres' (Centres).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CENTRE_REGION, REGION_LAYOUT, type ImageFingerprint } from '#fingerprint';
import { HashClass, imageIndexRows, type IndexRow } from '#infringement';
import { ImageGridClasses1764960000000 } from '../../migrations/1764960000000-image-grid-classes.js';
import { ImageCentresClass1764970000000 } from '../../migrations/1764970000000-image-centres-class.js';
import { seededHash as hash } from '../../libs/fingerprint/test-support/image-fixtures.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

const SPAN = 2 ** 18;
const fingerprint: ImageFingerprint = { global: hash(1), mirrored: hash(2), regions: REGION_LAYOUT.map((_, i) => hash(10 + i)), width: 640, height: 480, flat: false };
const classOf = (r: IndexRow) => Math.floor(r.chunkKey / SPAN);
const inClass = (r: IndexRow, cls: number): IndexRow => ({ ...r, chunkKey: cls * SPAN + (r.chunkKey % SPAN) });

// Where each migration found the rows: today's rows, re-keyed to the layout before it.
const beforeCentres = (rows: IndexRow[]) => rows.map((r) => (r.slot === CENTRE_REGION ? inClass(r, 2) : r));
const beforeGrid = (rows: IndexRow[]) => beforeCentres(rows).map((r) => (classOf(r) === HashClass.Grid80 ? inClass(r, HashClass.Grid90) : r));

describe('migrations of the image index key spaces', () => {
  let db: ScratchDatabase;
  let runner: QueryRunner;
  let image = 0;

  beforeAll(async () => {
    db = await createScratchDatabase('image_key_spaces');
    runner = { query: (text: string) => db.pool.query(text) } as unknown as QueryRunner;
  });
  afterAll(async () => db.drop());

  const sorted = (rows: IndexRow[]) => [...rows].sort((a, b) => a.chunkKey - b.chunkKey || a.slot - b.slot);
  const store = async (id: number, rows: IndexRow[]) => {
    for (const r of rows) await db.pool.query('INSERT INTO image_hash_keys (chunk_key, hash, image_id, slot) VALUES ($1, $2, $3, $4)', [r.chunkKey, r.hash, id, r.slot]);
  };
  const stored = async (id: number) =>
    (await db.pool.query<{ chunk_key: number; hash: string; slot: number }>('SELECT chunk_key, hash::text, slot FROM image_hash_keys WHERE image_id = $1 ORDER BY chunk_key, slot', [id])).rows.map((r) => ({
      chunkKey: r.chunk_key,
      hash: r.hash,
      slot: r.slot,
    }));

  const cases: Array<[string, MigrationInterface, (rows: IndexRow[]) => IndexRow[], (rows: IndexRow[]) => IndexRow[]]> = [
    // Each runs on rows as they were before it and leaves them as the next migration expects.
    ['1764960000000 (80% grid windows)', new ImageGridClasses1764960000000(), beforeGrid, beforeCentres],
    ['1764970000000 (centres)', new ImageCentresClass1764970000000(), beforeCentres, (rows) => rows],
  ];

  it.each(cases)('%s re-keys the rows written before it and only those; down() puts them back', async (_, migration, before, after) => {
    const today = imageIndexRows(fingerprint);
    const id = ++image;
    await store(id, before(today));
    expect(sorted(before(today))).not.toEqual(sorted(after(today)));

    await migration.up(runner);
    expect(await stored(id)).toEqual(sorted(after(today)));

    await migration.down(runner);
    expect(await stored(id)).toEqual(sorted(before(today)));
    await db.pool.query('DELETE FROM image_hash_keys WHERE image_id = $1', [id]);
  });
});
