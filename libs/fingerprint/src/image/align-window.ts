// Re-aligns a grid window on the pixels, for a crop that fell between two
// windows of the fixed grid.
//
// The 80% grid steps by 5%, so a 20% crop is up to 2.5% off its nearest
// window in each direction, and a pHash moves by ~4 bits per 1% of
// misalignment: measured on the evaluation set, 9% of 20% crops were 14-24
// bits from their nearest window, past any threshold that keeps unrelated
// images out. Sliding that window by up to 3% (a 7×7 search in 1% steps,
// then 0.5% around the best) brought 96% of 20% crops within 8 bits, while
// the closest of 14,000 unrelated image pairs searched the same way stayed
// at 12 (eval numbers in the README).
//
// It needs the pixels of the side whose window moves, so it runs in the
// worker on near misses only (compare-images.ts, IMAGE_THRESHOLDS.near).

import type { RegionPair } from './compare-images.js';
import { hammingDistance } from './hamming.js';
import { blockHash } from './phash.js';
import { MIN_CONTRAST, REGION_LAYOUT, type ImageFingerprint, type PreparedImage } from './image-fingerprint.js';
import { checkWindows, type RegionCheck } from './region-check.js';
import { resampleWindow, type Window } from './resample.js';

/** How far (as a fraction of the image) a window may slide from where it started. */
const REACH = 0.03;
const COARSE_STEP = 0.01;
const FINE_STEP = 0.005;

export interface AlignedWindow {
  /** The window of the searched image closest to the target hash. */
  window: Window;
  /** Hamming distance of its pHash from the target (64 when every window tried is flat). */
  distance: number;
}

const clamp = (v: number, max: number): number => Math.min(Math.max(0, v), max);

/**
 * Slides `start` (same size) over `image` and returns the position whose
 * pHash is nearest `target` (16 hex digits).
 */
export function alignWindow(image: PreparedImage, start: Window, target: string): AlignedWindow {
  const at = (x: number, y: number): AlignedWindow => {
    const window = { x: clamp(x, 1 - start.w), y: clamp(y, 1 - start.h), w: start.w, h: start.h };
    const b = blockHash(resampleWindow(image.table, window));
    return { window, distance: b.contrast >= MIN_CONTRAST ? hammingDistance(b.hash, target) : 64 };
  };
  let best = at(start.x, start.y);
  const search = (centre: Window, step: number, reach: number): void => {
    for (let dy = -reach; dy <= reach + 1e-9; dy += step) {
      for (let dx = -reach; dx <= reach + 1e-9; dx += step) {
        if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) continue;
        const c = at(centre.x + dx, centre.y + dy);
        if (c.distance < best.distance) best = c;
      }
    }
  };
  search(start, COARSE_STEP, REACH);
  search(best.window, FINE_STEP, FINE_STEP);
  return best;
}

const WHOLE: Window = { x: 0, y: 0, w: 1, h: 1 };

export interface AlignedPair {
  /** The windows compared after alignment: one side's whole image, the other's re-aligned window. */
  windowA: Window;
  windowB: Window;
  distance: number;
  /** The quadrants of both windows (region-check.ts). */
  check: RegionCheck;
}

/**
 * Re-aligns a near whole↔grid pair (compare-images.ts nearGridPair) of
 * images `a` and `b`: the side with the grid window slides it towards the
 * other side's global hash.
 */
export function alignPair(a: { image: PreparedImage; fingerprint: ImageFingerprint }, b: { image: PreparedImage; fingerprint: ImageFingerprint }, pair: RegionPair): AlignedPair {
  const windowSide = pair.a >= 0 ? { moving: a, slot: pair.a, fixed: b } : { moving: b, slot: pair.b, fixed: a };
  const start = REGION_LAYOUT[windowSide.slot];
  if (!start || start.kind !== 'grid' || Math.min(pair.a, pair.b) >= 0) throw new RangeError(`pair ${pair.a}/${pair.b} is not a whole image and a grid window`);
  const aligned = alignWindow(windowSide.moving.image, start, windowSide.fixed.fingerprint.global);
  const [windowA, windowB] = pair.a >= 0 ? [aligned.window, WHOLE] : [WHOLE, aligned.window];
  return { windowA, windowB, distance: aligned.distance, check: checkWindows(a.image, windowA, b.image, windowB) };
}
