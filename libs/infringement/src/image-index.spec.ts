import { REGION_LAYOUT, type ImageFingerprint } from '#fingerprint';
import { CENTRE_REGION, GRID_REGIONS, HashClass, imageIndexRows, imageProbePlan, ROTATED_REGIONS } from './image-index.js';

const hash = (seed: number) => (BigInt(seed) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0');
const flip = (hex: string, bits: number[]) => bits.reduce((v, b) => v ^ (1n << BigInt(b)), BigInt(`0x${hex}`)).toString(16).padStart(16, '0');

function fingerprint(offset: number): ImageFingerprint {
  return { global: hash(offset + 1), mirrored: hash(offset + 2), regions: REGION_LAYOUT.map((_, i) => hash(offset + 10 + i)), width: 100, height: 100, flat: false };
}

/** What a lookup would find: the stored rows sharing a probe key and within that probe's distance. */
function found(stored: ImageFingerprint, query: ImageFingerprint): boolean {
  const rows = imageIndexRows(stored);
  const plan = imageProbePlan(query);
  const popcount = (x: bigint) => x.toString(2).split('').filter((c) => c === '1').length;
  return plan.keys.some((key, i) => rows.some((r) => r.chunkKey === key && popcount(BigInt.asUintN(64, BigInt(r.hash) ^ BigInt(plan.hashes[i]!))) <= plan.maxDistances[i]!));
}

describe('image index', () => {
  it('stores the global, grid, centre and rotated hashes, 4 chunk keys each; a flat image nothing', () => {
    const rows = imageIndexRows(fingerprint(0));
    expect(rows).toHaveLength(4 * (1 + GRID_REGIONS.length + 1 + ROTATED_REGIONS.length));
    expect(new Set(rows.map((r) => Math.floor(r.chunkKey / 2 ** 18)))).toEqual(new Set([HashClass.Global, HashClass.Grid, HashClass.Centre, HashClass.Rotated]));
    expect(imageIndexRows({ ...fingerprint(0), flat: true })).toEqual([]);
  });

  it('finds a copy whose global hash is 11 bits away, a crop (global ≈ a grid window) and a rotation (centre ≈ a rotated window)', () => {
    const stored = fingerprint(0);
    const other = fingerprint(1000);
    expect(found(stored, other)).toBe(false);
    expect(found(stored, { ...other, global: flip(stored.global, [0, 5, 9, 17, 21, 26, 33, 40, 47, 52, 60]) })).toBe(true);
    expect(found(stored, { ...other, global: flip(stored.regions[GRID_REGIONS[7]!]!, [1, 2, 20, 40, 41, 63]) })).toBe(true);
    const regions = [...other.regions];
    regions[CENTRE_REGION] = flip(stored.regions[ROTATED_REGIONS[1]!]!, [3, 30, 50]);
    expect(found(stored, { ...other, regions })).toBe(true);
    expect(found(stored, { ...other, global: flip(stored.global, Array.from({ length: 20 }, (_, i) => i * 3)) })).toBe(false);
  });
});
