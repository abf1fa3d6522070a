// Compares two image fingerprints and decides whether one is a copy of the
// other.
//
// Pairs compared (each a Hamming distance between 64-bit pHashes):
// - 'global':  whole image vs whole image;
// - 'mirror':  one image's mirrored hash vs the other's hash;
// - 'region':  whole image vs the other's grid windows, both ways (crops,
//              and images with something added around them), and centre
//              window vs the other's rotated centre windows, both ways
//              (small rotations).
// Region windows are NOT compared with each other: measured, that gained
// 0.8% recall only with a stricter global threshold (chance alignments among
// ~900 region pairs eat the false-positive budget), and it would multiply
// the index lookups.
//
// Thresholds: IMAGE_THRESHOLDS, chosen on eval/eval-images.ts for recall
// ≥ 0.95 at precision ≥ 0.99 (README has the table).

import { hammingDistance } from './hamming.js';
import { CENTRE_REGION, GRID80_REGIONS, GRID_NEIGHBOURS, GRID_REGIONS, ROTATED_REGIONS, type ImageFingerprint } from './image-fingerprint.js';

export type ImageMatchMethod = 'global' | 'mirror' | 'region';

/** A matched pair: region index in REGION_LAYOUT, or −1 for the whole image. */
export interface RegionPair {
  a: number;
  b: number;
  distance: number;
  /** Largest distance accepted for this kind of pair (IMAGE_THRESHOLDS.region or .tight). */
  threshold: number;
}

export interface ImageComparison {
  /** 1 for identical hashes, 0 at 32 differing bits (what unrelated images average) or more. */
  score: number;
  /** Hamming distance (0..64) of the best pair under `method`. */
  distance: number;
  method: ImageMatchMethod;
  /** For 'region': the pair that matched. */
  regions?: RegionPair[];
}

export interface ImageThresholds {
  /** Largest distance accepted for 'global' and 'mirror'. */
  global: number;
  /** Largest distance accepted for a whole image with an 80% grid window (20% crops). */
  region: number;
  /** Largest distance accepted for the other region pairs: 90% grid windows, centre and rotated centres. */
  tight: number;
  /** Largest mean quadrant distance with which checkRegion confirms a region match (region-check.ts). */
  check: number;
  /**
   * A whole image and an 80% grid window that missed their threshold are
   * re-aligned from the pixels (align-window.ts) when within `near`, and the
   * mean distance of that window and its nearest grid neighbour is within
   * `nearPair` (a crop between two windows is fairly close to both).
   */
  near: number;
  nearPair: number;
  /** Largest distance accepted for a re-aligned window. */
  aligned: number;
}

/**
 * pHash distances are even (the median split sets exactly 32 bits), so 12
 * and 10 are neighbours. Measured on the evaluation set (README): every
 * false match at 12 came from a 90% grid window or a centre pair; 10%
 * crops are within 10 of a 90% window as often as within 12, and 20% crops
 * need 12 on the 80% grid. (Rotated centres at 12 found one more 5°
 * rotation of 46 but made two false matches.) `check`: quadrants of real
 * copies' matched windows were at most 27.5 apart (mean of 4 × 64 bits; the
 * windows are up to 2.5% misaligned, which quadrants feel twice as much),
 * chance matches at 29-35, unrelated pairs at ~32.
 *
 * `near`, `nearPair` and `aligned` (measured the same way, 138 20% crops
 * against 16,448 unrelated pairs): 12 crops were further than 12 from every
 * 80% window, 11 of them within 16; 24 unrelated pairs (0.15%) pass both
 * near-miss bounds, so alignment runs rarely. Re-aligned, 6 of the 12 crops
 * came within 8 (most to 0-2), no unrelated pair closer than 14.
 */
export const IMAGE_THRESHOLDS: Readonly<ImageThresholds> = { global: 12, region: 12, tight: 10, check: 28, near: 16, nearPair: 18, aligned: 8 };

const WHOLE = -1;
/** Windows held to IMAGE_THRESHOLDS.region rather than .tight: the 80% grid (20% crops). */
const LOOSE = new Set(GRID80_REGIONS);

function regionPairs(a: ImageFingerprint, b: ImageFingerprint, t: ImageThresholds): RegionPair[] {
  const pairs: RegionPair[] = [];
  const add = (ia: number, ib: number): void => {
    const ha = ia === WHOLE ? a.global : a.regions[ia];
    const hb = ib === WHOLE ? b.global : b.regions[ib];
    if (ha && hb) pairs.push({ a: ia, b: ib, distance: hammingDistance(ha, hb), threshold: LOOSE.has(ia) || LOOSE.has(ib) ? t.region : t.tight });
  };
  for (const i of GRID_REGIONS) {
    add(WHOLE, i);
    add(i, WHOLE);
  }
  for (const i of [CENTRE_REGION, ...ROTATED_REGIONS]) {
    add(CENTRE_REGION, i);
    if (i !== CENTRE_REGION) add(i, CENTRE_REGION);
  }
  return pairs;
}

/**
 * The closest pair of a whole image and an 80% grid window of the other,
 * when it missed its threshold but is near (`near`, `nearPair`): a 20% crop
 * (or a frame) that fell between two grid windows, which alignPair can
 * settle from the pixels. Its threshold is `aligned`.
 */
export function nearGridPair(a: ImageFingerprint, b: ImageFingerprint, thresholds: ImageThresholds = IMAGE_THRESHOLDS): RegionPair | undefined {
  if (a.flat || b.flat) return undefined;
  let best: RegionPair | undefined;
  for (const [windows, whole, wholeSide] of [[a, b.global, 'b'], [b, a.global, 'a']] as const) {
    const distance = (slot: number): number => (windows.regions[slot] ? hammingDistance(windows.regions[slot]!, whole) : 64);
    for (const slot of GRID80_REGIONS) {
      const d = distance(slot);
      if (d <= thresholds.region || d > thresholds.near || (best && d >= best.distance)) continue;
      const neighbour = Math.min(...GRID_NEIGHBOURS.get(slot)!.map(distance));
      if ((d + neighbour) / 2 > thresholds.nearPair) continue;
      best = wholeSide === 'b' ? { a: slot, b: WHOLE, distance: d, threshold: thresholds.aligned } : { a: WHOLE, b: slot, distance: d, threshold: thresholds.aligned };
    }
  }
  return best;
}

/** The score of a Hamming distance: 1 for identical hashes, 0 at 32 differing bits (what unrelated images average) or more. */
export const imageScore = (d: number): number => Math.max(0, 1 - d / 32);

export interface ImageDistances {
  global: number;
  mirror: number;
  /** Distance of the region pair furthest inside its threshold (64 when no region pair is usable). */
  region: number;
  regionPair?: RegionPair;
}

/** The raw distances behind compareImages(), for evaluation and tuning. */
export function imageDistances(a: ImageFingerprint, b: ImageFingerprint, thresholds: ImageThresholds = IMAGE_THRESHOLDS): ImageDistances {
  if (a.flat || b.flat) return { global: 64, mirror: 64, region: 64 };
  let top: RegionPair | undefined;
  for (const p of regionPairs(a, b, thresholds)) if (!top || p.distance - p.threshold < top.distance - top.threshold) top = p;
  return {
    global: hammingDistance(a.global, b.global),
    mirror: Math.min(hammingDistance(a.mirrored, b.global), hammingDistance(a.global, b.mirrored)),
    region: top?.distance ?? 64,
    ...(top ? { regionPair: top } : {}),
  };
}

/**
 * Best evidence that `a` and `b` show the same picture. The method reported
 * is the one whose distance is furthest inside its threshold (so a result
 * can be judged with isImageMatch()); a flat image matches nothing.
 */
export function compareImages(a: ImageFingerprint, b: ImageFingerprint, thresholds: ImageThresholds = IMAGE_THRESHOLDS): ImageComparison {
  const d = imageDistances(a, b, thresholds);
  let best: ImageComparison = { score: imageScore(d.global), distance: d.global, method: 'global' };
  let margin = d.global - thresholds.global;
  if (d.mirror - thresholds.global < margin) {
    best = { score: imageScore(d.mirror), distance: d.mirror, method: 'mirror' };
    margin = d.mirror - thresholds.global;
  }
  if (d.regionPair && d.region - d.regionPair.threshold < margin) {
    best = { score: imageScore(d.region), distance: d.region, method: 'region', regions: [d.regionPair] };
  }
  return best;
}

/** Largest distance a comparison's method (and, for 'region', its kind of pair) accepts. */
export function thresholdOf(result: ImageComparison, thresholds: ImageThresholds = IMAGE_THRESHOLDS): number {
  return result.method === 'region' ? (result.regions?.[0]?.threshold ?? thresholds.region) : thresholds.global;
}

/** Whether a comparison is a match under the chosen thresholds. */
export function isImageMatch(result: ImageComparison, thresholds: ImageThresholds = IMAGE_THRESHOLDS): boolean {
  return result.distance <= thresholdOf(result, thresholds);
}
