import sharp from 'sharp';
import { mulberry32 } from '../../test-support/prng.js';
import { syntheticImage } from '../../test-support/image-fixtures.js';
import { IMAGE_TRANSFORMS } from '../../test-support/image-transforms.js';
import { IMAGE_THRESHOLDS, compareImages } from './compare-images.js';
import { imageFingerprint, prepareImage, REGION_LAYOUT } from './image-fingerprint.js';
import { checkRegion } from './region-check.js';

describe('checkRegion', () => {
  it('confirms the window pair a crop matched on', async () => {
    for (const seed of [11, 22, 33]) {
      const original = await syntheticImage(seed);
      const crop = await IMAGE_TRANSFORMS['crop 20%']!(original, mulberry32(seed));
      const match = compareImages(await imageFingerprint(crop), await imageFingerprint(original));
      expect(match.method).toBe('region');
      const pair = match.regions![0]!;
      const check = checkRegion(await prepareImage(crop), pair.a, await prepareImage(original), pair.b);
      expect(check.compared).toBe(4);
      expect(check.distance).toBeLessThanOrEqual(IMAGE_THRESHOLDS.check);
    }
  }, 30_000);

  it('refutes the same windows of unrelated images', async () => {
    const a = await prepareImage(await syntheticImage(44));
    const b = await prepareImage(await syntheticImage(55));
    const grid = REGION_LAYOUT.findIndex((r) => r.kind === 'grid' && r.w === 0.8);
    for (const [slotA, slotB] of [
      [-1, -1],
      [-1, grid],
      [REGION_LAYOUT.findIndex((r) => r.kind === 'centre'), REGION_LAYOUT.findIndex((r) => r.kind === 'rotated')],
    ] as const) {
      const check = checkRegion(a, slotA, b, slotB);
      expect(check.compared).toBe(4);
      expect(check.distance).toBeGreaterThan(IMAGE_THRESHOLDS.check);
    }
  }, 30_000);

  it('compares nothing where a side is flat, and says so', async () => {
    const grey = await prepareImage(await sharp({ create: { width: 300, height: 200, channels: 3, background: '#777777' } }).png().toBuffer());
    const photo = await prepareImage(await syntheticImage(66));
    expect(checkRegion(grey, -1, photo, -1)).toEqual({ distance: 64, compared: 0 });
  });

  it('rejects a slot that is not in the layout', async () => {
    const photo = await prepareImage(await syntheticImage(77));
    expect(() => checkRegion(photo, REGION_LAYOUT.length, photo, -1)).toThrow(RangeError);
  });
});
