import { CENTRE_REGION, GRID_NEIGHBOURS, GRID_REGIONS, GRID80_REGIONS, IMAGE_THRESHOLDS, REGION_LAYOUT, ROTATED_REGIONS, type ImageFingerprint } from '#fingerprint';
import { HashClass, imageIndexRows, imageProbePlan, nearMissNeighbours, splitProbePlan } from './image-index.js';
import { seededHash as hash } from '../../fingerprint/test-support/image-fixtures.js';

/** Flips bit positions counted from the first (most significant) bit, as BlockHash.weak lists them. */
const flip = (hex: string, positions: number[]) => positions.reduce((v, p) => v ^ (1n << BigInt(63 - p)), BigInt(`0x${hex}`)).toString(16).padStart(16, '0');

/** Two bits per 16-bit chunk that the test flips, listed as the query's least reliable bits. */
const WEAK = [3, 9, 20, 27, 33, 44, 50, 61];

function fingerprint(offset: number, weak: number[] = []): ImageFingerprint {
  return {
    global: hash(offset + 1),
    mirrored: hash(offset + 2),
    regions: REGION_LAYOUT.map((_, i) => hash(offset + 10 + i)),
    width: 100,
    height: 100,
    flat: false,
    weak: { global: weak, mirrored: weak, regions: REGION_LAYOUT.map(() => weak) },
  };
}

/** What a lookup would find: the stored rows sharing a probe key and within that probe's distance. */
function found(stored: ImageFingerprint, query: ImageFingerprint): boolean {
  const rows = imageIndexRows(stored);
  const plan = imageProbePlan(query);
  const popcount = (x: bigint) => x.toString(2).split('').filter((c) => c === '1').length;
  return plan.keys.some((key, i) => rows.some((r) => r.chunkKey === key && popcount(BigInt.asUintN(64, BigInt(r.hash) ^ BigInt(plan.hashes[i]!))) <= plan.maxDistances[i]!));
}

describe('image index', () => {
  it('stores the global, grid, centre and rotated hashes, 4 chunk keys each, in four key spaces; a flat image nothing', () => {
    const rows = imageIndexRows(fingerprint(0));
    expect(rows).toHaveLength(4 * (1 + GRID_REGIONS.length + 1 + ROTATED_REGIONS.length));
    expect(new Set(rows.map((r) => Math.floor(r.chunkKey / 2 ** 18)))).toEqual(new Set([HashClass.Global, HashClass.Grid90, HashClass.Grid80, HashClass.Centres]));
    // 80% windows (20% crops) have their own key space.
    expect(rows.filter((r) => Math.floor(r.chunkKey / 2 ** 18) === HashClass.Grid80).map((r) => r.slot)).toEqual(GRID80_REGIONS.flatMap((s) => [s, s, s, s]));
    // The centre shares a key space with the rotated centres: a query's centre probes both with one set of keys.
    expect(rows.filter((r) => Math.floor(r.chunkKey / 2 ** 18) === HashClass.Centres).map((r) => r.slot)).toEqual([CENTRE_REGION, ...ROTATED_REGIONS].flatMap((s) => [s, s, s, s]));
    expect(imageIndexRows({ ...fingerprint(0), flat: true })).toEqual([]);
  });

  it('finds copies whose differing bits are the query\'s weak bits: a whole copy, a crop (global ≈ a grid window), a rotation (centre ≈ a rotated window)', () => {
    const stored = fingerprint(0);
    const other = fingerprint(1000, WEAK);
    expect(found(stored, other)).toBe(false);
    // 8 bits apart, two in every chunk: no chunk key is shared, but every chunk's difference is a pair of weak bits.
    const copy = { ...other, global: flip(stored.global, WEAK) };
    expect(found(stored, copy)).toBe(true);
    expect(found(stored, { ...copy, weak: undefined })).toBe(false);
    expect(found(stored, { ...other, global: flip(stored.regions[GRID80_REGIONS[7]!]!, WEAK) })).toBe(true);
    // A 10% crop (90% window) within the tighter threshold: 4 bits, two in each of two chunks.
    expect(found(stored, { ...other, global: flip(stored.regions[GRID_REGIONS[3]!]!, WEAK.slice(0, 4)) })).toBe(true);
    const regions = [...other.regions];
    regions[CENTRE_REGION] = flip(stored.regions[ROTATED_REGIONS[1]!]!, WEAK.slice(0, 6));
    expect(found(stored, { ...other, regions })).toBe(true);
    // The same probe reaches the stored centre itself (an unrotated copy whose global hash is lost under an overlay).
    regions[CENTRE_REGION] = flip(stored.regions[CENTRE_REGION]!, WEAK.slice(0, 6));
    expect(found(stored, { ...other, regions })).toBe(true);
    // Within 3 bits one chunk always agrees exactly, weak bits or not.
    expect(found(stored, { ...fingerprint(1000), global: flip(stored.global, [0, 17, 40]) })).toBe(true);
    // Past the threshold nothing is kept, however the keys meet.
    expect(found(stored, { ...other, global: flip(stored.global, [...WEAK, 0, 1, 2, 4, 5]) })).toBe(false);
  });

  it('splits a plan into alternate keys: nothing lost or added, equal shares of every class', () => {
    const all = imageProbePlan(fingerprint(7, WEAK));
    const parts = splitProbePlan(all, 2);
    expect(parts.flatMap((p) => p.keys).sort()).toEqual([...all.keys].sort());
    const classCount = (keys: number[], cls: HashClass) => keys.filter((k) => Math.floor(k / 2 ** 18) === cls).length;
    for (const cls of [HashClass.Global, HashClass.Grid90, HashClass.Grid80, HashClass.Centres]) {
      const [a, b] = parts.map((p) => classCount(p.keys, cls));
      expect(a! + b!).toBe(classCount(all.keys, cls));
      expect(Math.abs(a! - b!)).toBeLessThanOrEqual(1);
    }
    // Each key keeps its own query hash and distance.
    const i = all.keys.indexOf(parts[1]!.keys[3]!);
    expect([parts[1]!.hashes[3], parts[1]!.maxDistances[3]]).toEqual([all.hashes[i], all.maxDistances[i]]);
  });

  it('probes 80% windows out to the near-miss bound with their exact and weak-bit keys, keeping rows outright only within the region threshold', () => {
    const plan = imageProbePlan(fingerprint(7, WEAK));
    const grid80 = plan.keys.flatMap((key, i) => (Math.floor(key / 2 ** 18) === HashClass.Grid80 ? [i] : []));
    for (const i of grid80) expect([plan.strictDistances[i], plan.maxDistances[i]]).toEqual([IMAGE_THRESHOLDS.region, expect.any(Number)]);
    const near = grid80.filter((i) => plan.maxDistances[i] === IMAGE_THRESHOLDS.near);
    // 4 chunks × (the chunk itself + up to 3 of its 2 listed weak bits flipped: 4 values).
    expect(near).toHaveLength(16);
    expect(grid80.filter((i) => plan.maxDistances[i] === IMAGE_THRESHOLDS.region)).toHaveLength(grid80.length - near.length);
    plan.keys.forEach((_, i) => {
      if (!grid80.includes(i)) expect(plan.maxDistances[i]).toBe(plan.strictDistances[i]);
    });
  });

  it('lists every neighbour pair of the 80% grid for the near-miss check', () => {
    const { slots, neighbours, maxSum } = nearMissNeighbours();
    expect(slots).toHaveLength(80); // 5 × 5 windows: 2 · 2 · 5 · 4 directed neighbour pairs
    expect(maxSum).toBe(2 * IMAGE_THRESHOLDS.nearPair);
    slots.forEach((slot, i) => expect(GRID_NEIGHBOURS.get(slot)).toContain(neighbours[i]));
    expect(new Set(slots)).toEqual(new Set(GRID80_REGIONS));
  });
});
