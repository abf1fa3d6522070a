import sharp from 'sharp';
import { syntheticImage } from '../../test-support/image-fixtures.js';
import { alignPair, alignWindow } from './align-window.js';
import { IMAGE_THRESHOLDS, compareImages, isImageMatch, nearGridPair } from './compare-images.js';
import { hammingDistance } from './hamming.js';
import { GRID80_REGIONS, GRID_NEIGHBOURS, GRID_REGIONS, REGION_LAYOUT, fingerprintOf, prepareImage, type ImageFingerprint, type PreparedImage } from './image-fingerprint.js';

/** A 20% crop whose top-left corner sits at (fx, fy) of the original: half a grid step off when both are 0.025. */
async function cropAt(data: Buffer, fx: number, fy: number): Promise<Buffer> {
  const { width, height } = await sharp(data).metadata();
  return sharp(data)
    .extract({ left: Math.round(width! * fx), top: Math.round(height! * fy), width: Math.round(width! * 0.8), height: Math.round(height! * 0.8) })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const side = async (data: Buffer): Promise<{ image: PreparedImage; fingerprint: ImageFingerprint }> => {
  const image = await prepareImage(data);
  return { image, fingerprint: fingerprintOf(image) };
};

describe('alignPair: a 20% crop between two grid windows', () => {
  // Seed 1's crop at (2.5%, 2.5%) is 14 bits from its nearest window: no fingerprint match.
  let original: Awaited<ReturnType<typeof side>>;
  let crop: Awaited<ReturnType<typeof side>>;
  beforeAll(async () => {
    const data = await syntheticImage(1);
    original = await side(data);
    crop = await side(await cropAt(data, 0.025, 0.025));
  }, 30_000);

  it('is a near miss of the fingerprints alone', () => {
    expect(isImageMatch(compareImages(original.fingerprint, crop.fingerprint))).toBe(false);
    const near = nearGridPair(original.fingerprint, crop.fingerprint)!;
    expect(near).toMatchObject({ b: -1, threshold: IMAGE_THRESHOLDS.aligned });
    expect(GRID80_REGIONS).toContain(near.a);
    expect(near.distance).toBeGreaterThan(IMAGE_THRESHOLDS.region);
    expect(near.distance).toBeLessThanOrEqual(IMAGE_THRESHOLDS.near);
  });

  it('slides the window onto the crop, and the quadrants agree', () => {
    const near = nearGridPair(original.fingerprint, crop.fingerprint)!;
    const aligned = alignPair(original, crop, near);
    expect(aligned.distance).toBeLessThanOrEqual(IMAGE_THRESHOLDS.aligned);
    expect(aligned.windowB).toEqual({ x: 0, y: 0, w: 1, h: 1 });
    expect(aligned.windowA.x).toBeCloseTo(0.025, 2);
    expect(aligned.windowA.y).toBeCloseTo(0.025, 2);
    expect(aligned.windowA.w).toBe(0.8);
    expect(aligned.check.compared).toBe(4);
    expect(aligned.check.distance).toBeLessThanOrEqual(IMAGE_THRESHOLDS.check);
  });

  it('works the other way round (the original is the whole image, the window is on the other side)', () => {
    const near = nearGridPair(crop.fingerprint, original.fingerprint)!;
    expect(near.a).toBe(-1);
    const aligned = alignPair(crop, original, near);
    expect(aligned.distance).toBeLessThanOrEqual(IMAGE_THRESHOLDS.aligned);
    expect(aligned.windowA).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });

  it('refuses a pair that is not a whole image and a grid window', () => {
    const centre = REGION_LAYOUT.findIndex((r) => r.kind === 'centre');
    expect(() => alignPair(original, crop, { a: centre, b: -1, distance: 14, threshold: 8 })).toThrow(RangeError);
    expect(() => alignPair(original, crop, { a: GRID80_REGIONS[0]!, b: GRID80_REGIONS[1]!, distance: 14, threshold: 8 })).toThrow(RangeError);
  });
});

describe('alignWindow', () => {
  it('finds no close window in an unrelated image', async () => {
    const a = await side(await syntheticImage(44));
    const b = await side(await syntheticImage(55));
    for (const slot of GRID80_REGIONS.slice(0, 5)) {
      const aligned = alignWindow(a.image, REGION_LAYOUT[slot]!, b.fingerprint.global);
      expect(aligned.distance).toBeGreaterThan(IMAGE_THRESHOLDS.near);
    }
  }, 30_000);

  it('stays inside the image at the edges', async () => {
    const a = await side(await syntheticImage(66));
    const corner = REGION_LAYOUT[GRID80_REGIONS[GRID80_REGIONS.length - 1]!]!; // bottom-right: x = y = 0.2
    const aligned = alignWindow(a.image, corner, a.fingerprint.regions[GRID80_REGIONS[0]!]!);
    expect(aligned.window.x + aligned.window.w).toBeLessThanOrEqual(1 + 1e-9);
    expect(aligned.window.y + aligned.window.h).toBeLessThanOrEqual(1 + 1e-9);
    expect(aligned.window.x).toBeGreaterThanOrEqual(0.2 - 0.035);
  }, 30_000);

  it('returns the start itself when it already matches exactly', async () => {
    const a = await side(await syntheticImage(77));
    const slot = GRID80_REGIONS[12]!;
    const aligned = alignWindow(a.image, REGION_LAYOUT[slot]!, a.fingerprint.regions[slot]!);
    expect(aligned.distance).toBe(0);
    expect(hammingDistance(a.fingerprint.regions[slot]!, a.fingerprint.regions[slot]!)).toBe(0);
  }, 30_000);
});

describe('nearGridPair (fingerprints made by hand)', () => {
  const flip = (hex: string, bits: number): string => {
    let v = BigInt(`0x${hex}`);
    for (let i = 0; i < bits; i++) v ^= 1n << BigInt(i * 2);
    return v.toString(16).padStart(16, '0');
  };
  const base = '0123456789abcdef';
  const far = flip(base, 30);
  const make = (regions: Record<number, string>): ImageFingerprint => ({
    global: far,
    mirrored: far,
    regions: REGION_LAYOUT.map((_, i) => regions[i] ?? far),
    width: 100,
    height: 100,
    flat: false,
  });
  const whole: ImageFingerprint = { ...make({}), global: base, regions: REGION_LAYOUT.map(() => '') };
  const slot = GRID80_REGIONS[6]!;
  const neighbour = GRID_NEIGHBOURS.get(slot)![0]!;

  it('takes a window just outside the threshold whose neighbour is also near', () => {
    expect(nearGridPair(make({ [slot]: flip(base, 14), [neighbour]: flip(base, 20) }), whole)).toEqual({ a: slot, b: -1, distance: 14, threshold: IMAGE_THRESHOLDS.aligned });
  });

  it('leaves a window whose neighbours are all far (a chance resemblance of one window)', () => {
    expect(nearGridPair(make({ [slot]: flip(base, 14) }), whole)).toBeUndefined();
  });

  it('leaves windows within the threshold (already a match) or beyond `near`', () => {
    expect(nearGridPair(make({ [slot]: flip(base, 12), [neighbour]: flip(base, 12) }), whole)).toBeUndefined();
    expect(nearGridPair(make({ [slot]: flip(base, 18), [neighbour]: flip(base, 18) }), whole)).toBeUndefined();
  });

  it('ignores 90% windows and flat images', () => {
    const grid90 = GRID_REGIONS.find((i) => !GRID80_REGIONS.includes(i))!;
    const n90 = GRID_NEIGHBOURS.get(grid90)![0]!;
    expect(nearGridPair(make({ [grid90]: flip(base, 14), [n90]: flip(base, 14) }), whole)).toBeUndefined();
    expect(nearGridPair(make({ [slot]: flip(base, 14), [neighbour]: flip(base, 14) }), { ...whole, flat: true })).toBeUndefined();
  });
});

describe('GRID_NEIGHBOURS', () => {
  it('gives corner windows 2 neighbours and inner ones 4, all in the same grid', () => {
    const counts = GRID80_REGIONS.map((i) => GRID_NEIGHBOURS.get(i)!.length);
    expect(counts.filter((n) => n === 2)).toHaveLength(4);
    expect(counts.filter((n) => n === 4)).toHaveLength(9);
    expect(counts.filter((n) => n === 3)).toHaveLength(12);
    for (const i of GRID80_REGIONS) for (const j of GRID_NEIGHBOURS.get(i)!) expect(GRID80_REGIONS).toContain(j);
    expect(GRID_NEIGHBOURS.get(GRID_REGIONS[0]!)).toHaveLength(2); // 90% grid corner
  });
});
