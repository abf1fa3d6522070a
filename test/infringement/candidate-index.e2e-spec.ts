// The image index lookup on real PostgreSQL: which stored images become
// candidates for a query, in particular the near misses of the 80% grid
// (a 20% crop between two windows), which count only when a neighbouring
// window of the same image is near the query too.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#persistence';
import { GRID80_REGIONS, GRID_NEIGHBOURS, IMAGE_THRESHOLDS, REGION_LAYOUT, type ImageFingerprint } from '#fingerprint';
import { hexToInt8, imageIndexRows } from '#infringement';
import { imageCandidateIds, MAX_IMAGE_CANDIDATES } from '../../apps/worker/src/scan/candidate-index.js';
import { scanDbOfPool } from '../../apps/worker/src/scan/scan-db.js';
import { seededHash as hash } from '../../libs/fingerprint/test-support/image-fixtures.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

/** `hex` with `n` bits flipped, all in its last three 16-bit chunks (the first chunk stays a shared index key). */
const flipped = (hex: string, n: number) => {
  let v = BigInt(`0x${hex}`);
  for (let i = 0; i < n; i++) v ^= 1n << BigInt(i * 3);
  return v.toString(16).padStart(16, '0');
};
const query: ImageFingerprint = { global: hash(1), mirrored: hash(2), regions: REGION_LAYOUT.map((_, i) => hash(100 + i)), width: 640, height: 480, flat: false };
const slot = GRID80_REGIONS[12]!; // the middle window: 4 neighbours
const neighbour = GRID_NEIGHBOURS.get(slot)![0]!;

describe('image candidates: near misses of the 80% grid', () => {
  let db: ScratchDatabase;
  let nextSeed = 1000;

  beforeAll(async () => {
    db = await createScratchDatabase('candidates');
    // Index behaviour only: stored fingerprints without works behind them.
    await db.pool.query('ALTER TABLE image_fingerprints DROP CONSTRAINT image_fingerprints_work_id_fkey');
  });
  afterAll(async () => db.drop());

  /** Stores an unrelated image whose `slot` (and optionally its neighbour) window is set; returns its image id. */
  async function store(windows: Record<number, string>): Promise<number> {
    const seed = (nextSeed += 100);
    const fp: ImageFingerprint = { global: hash(seed), mirrored: hash(seed + 1), regions: REGION_LAYOUT.map((_, i) => windows[i] ?? hash(seed + 2 + i)), width: 640, height: 480, flat: false };
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO image_fingerprints (work_id, global, mirrored, regions, width, height, flat) VALUES (gen_random_uuid(), $1, $2, $3::bigint[], 640, 480, false) RETURNING id`,
      [hexToInt8(fp.global), hexToInt8(fp.mirrored), fp.regions.map(hexToInt8)],
    );
    const id = rows[0]!.id;
    const index = imageIndexRows(fp);
    await db.pool.query('INSERT INTO image_hash_keys (chunk_key, hash, image_id, slot) SELECT k, h, $3, s FROM unnest($1::int[], $2::bigint[], $4::int2[]) AS t(k, h, s)', [
      index.map((r) => r.chunkKey),
      index.map((r) => r.hash),
      id,
      index.map((r) => r.slot),
    ]);
    return id;
  }

  it('keeps a close window outright, a near miss only with a near neighbour, and nothing beyond the near bound', async () => {
    const close = await store({ [slot]: flipped(query.global, IMAGE_THRESHOLDS.region - 2) });
    const between = await store({ [slot]: flipped(query.global, 14), [neighbour]: flipped(query.global, 20) });
    const chance = await store({ [slot]: flipped(query.global, 14) });
    const far = await store({ [slot]: flipped(query.global, IMAGE_THRESHOLDS.near + 2), [neighbour]: flipped(query.global, IMAGE_THRESHOLDS.near + 2) });
    const found = await imageCandidateIds(scanDbOfPool(db.pool).sql, query);
    expect(found).toContain(close);
    expect(found).toContain(between);
    expect(found).not.toContain(chance);
    expect(found).not.toContain(far);
  });

  it('ranks close matches first, so a flood of near misses never crowds one out', async () => {
    for (let i = 0; i < MAX_IMAGE_CANDIDATES + 20; i++) await store({ [slot]: flipped(query.global, 16), [neighbour]: flipped(query.global, 18) });
    const close = await store({ [slot]: flipped(query.global, 4) });
    const found = await imageCandidateIds(scanDbOfPool(db.pool).sql, query);
    expect(found.length).toBeLessThanOrEqual(MAX_IMAGE_CANDIDATES);
    expect(found).toContain(close);
  }, 60_000);

  it("runs on connections with JIT off, as the service's are (JIT once cost a lookup ~430 ms)", async () => {
    const dataSource = await new DataSource(dataSourceOptions(db.url, 'jit-check', 1)).initialize();
    try {
      expect(await dataSource.query('SHOW jit')).toEqual([{ jit: 'off' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
