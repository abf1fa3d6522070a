// Rotates a grey raster by a small angle onto an enlarged canvas, the way
// image editors (and sharp's rotate) do, so a fingerprint can carry hashes
// of its image "as if rotated by ±2° and ±4°": a copy rotated by up to 5°
// is then within 1° of one of them, which the pHash tolerates, whereas the
// plain hash of a 5° rotation is usually far off.

import type { GreyImage } from './decode-image.js';

/** Bilinear rotation by `degrees` (clockwise) about the centre; uncovered corners get `fill`. */
export function rotateGrey(img: GreyImage, degrees: number, fill = 128): GreyImage {
  const { data, width: w, height: h } = img;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const W = Math.round(Math.abs(w * cos) + Math.abs(h * sin));
  const H = Math.round(Math.abs(w * sin) + Math.abs(h * cos));
  const out = new Uint8Array(W * H);
  const cx = w / 2;
  const cy = h / 2;
  const CX = W / 2;
  const CY = H / 2;
  for (let Y = 0; Y < H; Y++) {
    for (let X = 0; X < W; X++) {
      // Inverse mapping: where in the source does this output pixel come from?
      const dx = X + 0.5 - CX;
      const dy = Y + 0.5 - CY;
      const sx = cos * dx + sin * dy + cx - 0.5;
      const sy = -sin * dx + cos * dy + cy - 0.5;
      if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) {
        out[Y * W + X] = fill;
        continue;
      }
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(sy)));
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, sx - x0));
      const fy = Math.max(0, Math.min(1, sy - y0));
      const top = data[y0 * w + x0]! * (1 - fx) + data[y0 * w + x1]! * fx;
      const bottom = data[y1 * w + x0]! * (1 - fx) + data[y1 * w + x1]! * fx;
      out[Y * W + X] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { ...img, data: out, width: W, height: H };
}
