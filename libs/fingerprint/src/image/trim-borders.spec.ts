import { mulberry32, randInt } from '../../test-support/prng.js';
import type { GreyImage } from './decode-image.js';
import { cropGrey, findTrimBox } from './trim-borders.js';

/** A noisy "photo" of w×h with optional borders (top, right, bottom, left) of a given grey. */
function framed(w: number, h: number, [t, r, b, l]: number[], border = 255, seed = 1): GreyImage {
  const rng = mulberry32(seed);
  const W = w + l! + r!;
  const H = h + t! + b!;
  const data = new Uint8Array(W * H).fill(border);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(y + t!) * W + x + l!] = 40 + randInt(rng, 150);
  return { data, width: W, height: H, originalWidth: W, originalHeight: H };
}

describe('findTrimBox', () => {
  it('removes a frame of the same width on all sides', () => {
    expect(findTrimBox(framed(100, 80, [10, 12, 10, 12]))).toEqual({ left: 12, top: 10, width: 100, height: 80 });
  });

  it('removes letterboxing', () => {
    expect(findTrimBox(framed(100, 60, [20, 0, 20, 0], 0))).toEqual({ left: 0, top: 20, width: 100, height: 60 });
  });

  it('tolerates JPEG-like noise in the border', () => {
    const img = framed(100, 80, [10, 10, 10, 10], 250);
    const rng = mulberry32(5);
    for (let i = 0; i < img.data.length; i++) if (img.data[i]! >= 250) img.data[i] = 250 - randInt(rng, 5);
    expect(findTrimBox(img)).toEqual({ left: 10, top: 10, width: 100, height: 80 });
  });

  it('leaves one-sided margins alone (natural content, e.g. a plain sky)', () => {
    expect(findTrimBox(framed(100, 80, [25, 0, 0, 0]))).toEqual({ left: 0, top: 0, width: 100, height: 105 });
  });

  it('removes nested frames', () => {
    const inner = framed(60, 40, [5, 5, 5, 5], 0);
    const outer: GreyImage = { ...inner, width: inner.width + 20, height: inner.height + 20, data: new Uint8Array((inner.width + 20) * (inner.height + 20)).fill(255) };
    for (let y = 0; y < inner.height; y++) outer.data.set(inner.data.subarray(y * inner.width, (y + 1) * inner.width), (y + 10) * outer.width + 10);
    expect(findTrimBox(outer)).toEqual({ left: 15, top: 15, width: 60, height: 40 });
  });

  it('does not trim a uniform image to nothing', () => {
    const flat: GreyImage = { data: new Uint8Array(50 * 40).fill(77), width: 50, height: 40, originalWidth: 50, originalHeight: 40 };
    expect(findTrimBox(flat)).toEqual({ left: 0, top: 0, width: 50, height: 40 });
  });

  it('crops the raster to the box', () => {
    const img = framed(30, 20, [4, 4, 4, 4], 255, 3);
    const box = findTrimBox(img);
    const inner = cropGrey(img, box);
    expect([inner.width, inner.height]).toEqual([30, 20]);
    expect(inner.data[0]).toBe(img.data[4 * img.width + 4]);
    expect(cropGrey(inner, { left: 0, top: 0, width: 30, height: 20 })).toBe(inner);
  });
});
