// Area-average resampling of any rectangular window of a grey raster onto a
// 32×32 hash block, via a summed-area table.
//
// Why not ask sharp for each window: a fingerprint hashes ~20 windows, and a
// sharp pipeline per window costs a decode each time; the summed-area table
// is built once and each block cell is then 4 lookups. Box bounds are
// fractional: the table is bilinearly interpolated, which is exact for
// pixels that are constant over their unit square.

import { BLOCK } from './phash.js';
import type { GreyImage } from './decode-image.js';

/** Summed-area table with one extra row/column of zeros: S[y][x] = Σ pixels above-left of (x, y). */
export interface AreaTable {
  sums: Float64Array;
  width: number;
  height: number;
}

export function areaTable(img: Pick<GreyImage, 'data' | 'width' | 'height'>): AreaTable {
  const { width, height, data } = img;
  const W = width + 1;
  const sums = new Float64Array(W * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += data[y * width + x]!;
      sums[(y + 1) * W + x + 1] = sums[y * W + x + 1]! + row;
    }
  }
  return { sums, width, height };
}

function sumAt(t: AreaTable, x: number, y: number): number {
  const W = t.width + 1;
  const x0 = Math.min(Math.floor(x), t.width - 1);
  const y0 = Math.min(Math.floor(y), t.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const s = t.sums;
  const a = s[y0 * W + x0]!;
  const b = s[y0 * W + x0 + 1]!;
  const c = s[(y0 + 1) * W + x0]!;
  const d = s[(y0 + 1) * W + x0 + 1]!;
  return a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy;
}

/** A window in relative coordinates: x, y, w, h in 0..1 of the raster's width and height. */
export interface Window {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Mean grey level of each of the 32×32 cells tiling `win`. */
export function resampleWindow(t: AreaTable, win: Window): Float64Array {
  const out = new Float64Array(BLOCK * BLOCK);
  const x0 = win.x * t.width;
  const y0 = win.y * t.height;
  const cw = (win.w * t.width) / BLOCK;
  const ch = (win.h * t.height) / BLOCK;
  const xs = Float64Array.from({ length: BLOCK + 1 }, (_, i) => Math.min(t.width, x0 + i * cw));
  const ys = Float64Array.from({ length: BLOCK + 1 }, (_, i) => Math.min(t.height, y0 + i * ch));
  for (let j = 0; j < BLOCK; j++) {
    for (let i = 0; i < BLOCK; i++) {
      const area = (xs[i + 1]! - xs[i]!) * (ys[j + 1]! - ys[j]!);
      const s = sumAt(t, xs[i + 1]!, ys[j + 1]!) - sumAt(t, xs[i]!, ys[j + 1]!) - sumAt(t, xs[i + 1]!, ys[j]!) + sumAt(t, xs[i]!, ys[j]!);
      out[j * BLOCK + i] = area > 0 ? s / area : 0;
    }
  }
  return out;
}
