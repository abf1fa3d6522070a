// Removes added borders (frames, letterboxing, passe-partout) from a grey
// raster, so that adding or removing a border does not move the content
// inside the hashed area.
//
// Why not sharp's trim(): it cuts to the bounding box of everything that
// differs from the top-left pixel. On photos with a plain sky, a dark
// corner or a clipped highlight along one edge it cuts into the picture, by
// a different amount after a brightness change or re-compression, and the
// match is lost (measured: ~10% of the evaluation images).
//
// Rules here:
// - A line (row or column) is border-like when 98% of it lies within ±8
//   grey levels of the colour of that side's outermost line.
// - Borders are only removed in opposite pairs of about the same width and
//   colour (top with bottom, left with right), which is what framing and
//   letterboxing produce, and what natural content almost never does.
//   A one-sided margin is left alone: the region hashes deal with it like a
//   crop.
// - Trimming repeats (up to 3 times) for nested frames.

import type { GreyImage } from './decode-image.js';

const TOLERANCE = 8;
const SHARE = 0.98;
/** Opposite borders may differ by this share of the side length (plus 2 px of JPEG ringing). */
const SYMMETRY = 0.02;
/** Don't trim to less than this share of either side: such an image is essentially uniform. */
const MIN_KEEP = 0.1;

export interface TrimBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

function median(values: Uint8Array | number[]): number {
  const s = Array.from(values).sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function line(img: GreyImage, box: TrimBox, vertical: boolean, index: number): number[] {
  const out: number[] = [];
  if (vertical) for (let y = box.top; y < box.top + box.height; y++) out.push(img.data[y * img.width + index]!);
  else for (let x = box.left; x < box.left + box.width; x++) out.push(img.data[index * img.width + x]!);
  return out;
}

function uniformAs(values: number[], ref: number): boolean {
  let near = 0;
  for (const v of values) if (Math.abs(v - ref) <= TOLERANCE) near++;
  return near >= SHARE * values.length;
}

/** Border widths [near side, far side] along one axis of `box`, or [0, 0] when not a symmetric pair. */
function pairOnAxis(img: GreyImage, box: TrimBox, vertical: boolean): [number, number] {
  const start = vertical ? box.left : box.top;
  const size = vertical ? box.width : box.height;
  const refNear = median(line(img, box, vertical, start));
  const refFar = median(line(img, box, vertical, start + size - 1));
  if (Math.abs(refNear - refFar) > TOLERANCE) return [0, 0];
  let near = 0;
  while (near < size && uniformAs(line(img, box, vertical, start + near), refNear)) near++;
  let far = 0;
  while (far < size - near && uniformAs(line(img, box, vertical, start + size - 1 - far), refFar)) far++;
  if (near === 0 || far === 0) return [0, 0];
  if (Math.abs(near - far) > SYMMETRY * size + 2) return [0, 0];
  if (size - near - far < MIN_KEEP * size) return [0, 0];
  return [near, far];
}

/** The box left after removing symmetric uniform borders (the whole raster if none). */
export function findTrimBox(img: GreyImage): TrimBox {
  const box: TrimBox = { left: 0, top: 0, width: img.width, height: img.height };
  for (let round = 0; round < 3; round++) {
    const [top, bottom] = pairOnAxis(img, box, false);
    box.top += top;
    box.height -= top + bottom;
    const [left, right] = pairOnAxis(img, box, true);
    box.left += left;
    box.width -= left + right;
    if (top + bottom + left + right === 0) break;
  }
  return box;
}

/** Copies the box out of the raster (the same object when nothing is trimmed). */
export function cropGrey(img: GreyImage, box: TrimBox): GreyImage {
  if (box.left === 0 && box.top === 0 && box.width === img.width && box.height === img.height) return img;
  const data = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    data.set(img.data.subarray((box.top + y) * img.width + box.left, (box.top + y) * img.width + box.left + box.width), y * box.width);
  }
  return { ...img, data, width: box.width, height: box.height };
}
