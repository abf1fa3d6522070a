// Second look at a region match, from the pixels of both images.
//
// A region match says: this window of one image has (nearly) the pHash of
// that window of the other. Among the ~90 window pairs tried per candidate,
// such a coincidence happens between unrelated images whose windows share
// a coarse layout (measured: two wallpapers that are black with a bright
// band along the right edge matched at distance 6). The check hashes the
// four quadrants of both windows, at twice the detail, and compares them:
// a real copy agrees there too, a shared layout does not.
//
// It needs both images' pixels, so it runs only on pairs that already
// matched (about one per scan), not in the index lookup.

import { hammingDistance } from './hamming.js';
import { blockHash } from './phash.js';
import { type PreparedImage, REGION_LAYOUT, quadrants, rotationRaster, usableHash } from './image-fingerprint.js';
import { areaTable, resampleWindow, type AreaTable, type Window } from './resample.js';
import { rotateGrey } from './rotate-grey.js';

/** A REGION_LAYOUT slot, or −1 for the whole image (what compareImages reports). */
export type RegionSlot = number;

export interface RegionCheck {
  /** Mean Hamming distance of the quadrants usable on both sides (64 when none is). */
  distance: number;
  /** How many of the 4 quadrant pairs were compared (a flat quadrant carries no evidence). */
  compared: number;
}

function windowOf(image: PreparedImage, slot: RegionSlot): { table: AreaTable; window: Window } {
  if (slot < 0) return { table: image.table, window: { x: 0, y: 0, w: 1, h: 1 } };
  const r = REGION_LAYOUT[slot];
  if (!r) throw new RangeError(`no region slot ${slot}`);
  if (r.kind !== 'rotated') return { table: image.table, window: r };
  return { table: areaTable(rotateGrey(rotationRaster(image.img), r.angle)), window: r };
}

const quadrantHashes = ({ table, window }: { table: AreaTable; window: Window }): string[] => quadrants(window).map((q) => usableHash(blockHash(resampleWindow(table, q))));

/** Compares the quadrants of window `slotA` of `a` with those of window `slotB` of `b`. */
export function checkRegion(a: PreparedImage, slotA: RegionSlot, b: PreparedImage, slotB: RegionSlot): RegionCheck {
  return compareQuadrants(quadrantHashes(windowOf(a, slotA)), quadrantHashes(windowOf(b, slotB)));
}

/** checkRegion for any two axis-aligned windows (a re-aligned window is not a layout slot). */
export function checkWindows(a: PreparedImage, windowA: Window, b: PreparedImage, windowB: Window): RegionCheck {
  return compareQuadrants(quadrantHashes({ table: a.table, window: windowA }), quadrantHashes({ table: b.table, window: windowB }));
}

function compareQuadrants(qa: string[], qb: string[]): RegionCheck {
  let sum = 0;
  let compared = 0;
  for (let i = 0; i < 4; i++) {
    if (!qa[i] || !qb[i]) continue;
    sum += hammingDistance(qa[i]!, qb[i]!);
    compared++;
  }
  return { distance: compared ? sum / compared : 64, compared };
}
