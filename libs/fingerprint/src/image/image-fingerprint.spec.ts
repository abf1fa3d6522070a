import sharp from 'sharp';
import { mulberry32 } from '../../test-support/prng.js';
import { syntheticImage } from '../../test-support/image-fixtures.js';
import { IMAGE_TRANSFORMS } from '../../test-support/image-transforms.js';
import { compareImages, isImageMatch } from './compare-images.js';
import { hammingDistance } from './hamming.js';
import { type ImageFingerprint, REGION_LAYOUT, imageFingerprint } from './image-fingerprint.js';

const SEEDS = [101, 202, 303, 404];
const originals = new Map<number, { data: Buffer; fp: ImageFingerprint }>();

beforeAll(async () => {
  for (const seed of SEEDS) {
    const data = await syntheticImage(seed);
    originals.set(seed, { data, fp: await imageFingerprint(data) });
  }
}, 60_000);

describe('imageFingerprint', () => {
  it('has a global, mirrored and one entry per region, all 16-hex', async () => {
    const fp = originals.get(101)!.fp;
    expect(fp.global).toMatch(/^[0-9a-f]{16}$/);
    expect(fp.mirrored).toMatch(/^[0-9a-f]{16}$/);
    expect(fp.regions).toHaveLength(REGION_LAYOUT.length);
    for (const r of fp.regions) expect(r).toMatch(/^[0-9a-f]{16}$/);
    expect([fp.width, fp.height]).toEqual([480, 360]);
    expect(fp.flat).toBe(false);
    expect(await imageFingerprint(originals.get(101)!.data)).toEqual(fp);
  });

  it('reports the displayed size of an EXIF-rotated photo and hashes it upright', async () => {
    const upright = originals.get(202)!;
    // Pixels stored rotated, with an EXIF tag saying "rotate 90° to display".
    const stored = await sharp(upright.data).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const fp = await imageFingerprint(stored);
    expect([fp.width, fp.height]).toEqual([480, 360]);
    expect(hammingDistance(fp.global, upright.fp.global)).toBeLessThanOrEqual(4);
  });

  it('marks a single-colour image flat; it matches nothing, not even itself', async () => {
    const grey = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#777777' } }).png().toBuffer();
    const fp = await imageFingerprint(grey);
    expect(fp.flat).toBe(true);
    expect(isImageMatch(compareImages(fp, fp))).toBe(false);
  });

  it('finds content that lives only in the alpha channel', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><path d="M0 150 C 80 40, 160 220, 300 60 L300 200 L0 200 Z" fill="white" fill-opacity="0.6"/><circle cx="70" cy="60" r="40" fill="white"/></svg>');
    const fp = await imageFingerprint(await sharp(svg).png().toBuffer());
    expect(fp.flat).toBe(false);
    const onBlack = await sharp(svg).flatten({ background: '#000000' }).jpeg().toBuffer();
    expect(isImageMatch(compareImages(await imageFingerprint(onBlack), fp))).toBe(true);
  });

  it('rejects data that is not an image', async () => {
    await expect(imageFingerprint(Buffer.from('not an image'))).rejects.toThrow();
  });
});

describe('compareImages: copies match their original', () => {
  const transforms = Object.entries(IMAGE_TRANSFORMS);

  it.each(transforms.filter(([name]) => name !== 'crop 20%'))('%s', async (name, transform) => {
    for (const seed of SEEDS) {
      const { data, fp } = originals.get(seed)!;
      const copy = await imageFingerprint(await transform(data, mulberry32(seed)));
      const result = compareImages(copy, fp);
      expect({ seed, match: isImageMatch(result) }).toEqual({ seed, match: true });
      expect(result.score).toBeGreaterThan(0.6);
      if (name === 'mirror') expect(result.method).toBe('mirror');
    }
  }, 30_000);

  it('crop 20% (the weakest case, ~93% measured): at least 3 of 4 match, by region', async () => {
    let matched = 0;
    for (const seed of SEEDS) {
      const { data, fp } = originals.get(seed)!;
      const result = compareImages(await imageFingerprint(await IMAGE_TRANSFORMS['crop 20%']!(data, mulberry32(seed))), fp);
      if (isImageMatch(result)) {
        matched++;
        expect(result.method).toBe('region');
        expect(result.regions?.[0]?.a).toBe(-1); // the crop's whole image…
        expect(REGION_LAYOUT[result.regions![0]!.b]!.kind).toBe('grid'); // …inside a window of the original
      }
    }
    expect(matched).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

describe('compareImages: unrelated images', () => {
  it('do not match, whichever way round', async () => {
    const others = [];
    for (const seed of [505, 606, 707, 808]) others.push(await imageFingerprint(await syntheticImage(seed)));
    const all = [...SEEDS.map((s) => originals.get(s)!.fp), ...others];
    let pairs = 0;
    for (let i = 0; i < all.length; i++)
      for (let j = 0; j < all.length; j++) {
        if (i === j) continue;
        pairs++;
        const r = compareImages(all[i]!, all[j]!);
        expect({ i, j, match: isImageMatch(r) }).toEqual({ i, j, match: false });
        expect(r.distance).toBeGreaterThan(12);
      }
    expect(pairs).toBe(56);
  }, 30_000);

  it('the global hash alone misses a 5° rotation that the rotated regions catch', async () => {
    const { data, fp } = originals.get(303)!;
    const rotated = await imageFingerprint(await sharp(data).rotate(5, { background: '#000' }).jpeg().toBuffer());
    const result = compareImages(rotated, fp);
    expect(hammingDistance(rotated.global, fp.global)).toBeGreaterThan(12);
    expect(result.method).toBe('region');
    expect(isImageMatch(result)).toBe(true);
  }, 30_000);
});
