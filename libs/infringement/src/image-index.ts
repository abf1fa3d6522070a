// What of an image fingerprint goes into the multi-index hashing table, and
// which keys a lookup probes. compareImages() compares these pairs (query Q,
// stored S): global↔global, mirror↔global, global↔grid windows both ways,
// centre↔centre and centre↔rotated centres both ways. Every pair is reached
// from one side with three indexed classes of stored hashes:
//
//   stored class   hashes per image   probed by (query side)
//   global         1                  Q.global, Q.mirrored, each Q.grid window
//   grid           41                 Q.global (Q is a crop of S)
//   centre         1                  Q.centre, each Q.rotated centre
//   rotated        4                  Q.centre (Q is S turned by a few degrees)
//
// (mirrored↔global is reached as Q.mirrored↔S.global only: the reverse pair
// is the same picture flipped the other way. Rotations need both directions:
// a rotated copy has a larger canvas, so Q.centre↔S.rotated and
// Q.rotated↔S.centre are not the same comparison; measured, indexing only
// S.centre found 17 of 43 copies rotated by 5°.)
//
// Each hash is stored as 4 chunk keys (hashChunks: 16-bit chunks) in its
// class's key space; a lookup probes every chunk value within `radius` bits
// (probeKeys) and keeps rows within the match threshold (the Hamming check
// runs in the index scan). With 4 chunks, radius r finds every pair within
// distance 4(r + 1) − 1 for sure, and most pairs further apart: the radius
// per probe is a speed/recall trade-off measured by bench:detect.
import { hashChunks, IMAGE_THRESHOLDS, probeKeys, REGION_LAYOUT, type ImageFingerprint } from '#fingerprint';
import { hexToInt8 } from './hash64.js';

export enum HashClass {
  Global = 0,
  Grid = 1,
  Centre = 2,
  Rotated = 3,
}

/** Slot numbers stored with each hash: a REGION_LAYOUT index, or GLOBAL_SLOT. */
export const GLOBAL_SLOT = 64;
const CLASS_SPAN = 1 << 18; // hashChunks keys are < 4 · 2^16
export const GRID_REGIONS = REGION_LAYOUT.flatMap((r, i) => (r.kind === 'grid' ? [i] : []));
export const CENTRE_REGION = REGION_LAYOUT.findIndex((r) => r.kind === 'centre');
export const ROTATED_REGIONS = REGION_LAYOUT.flatMap((r, i) => (r.kind === 'rotated' ? [i] : []));

export interface IndexRow {
  chunkKey: number;
  /** Signed int8 text. */
  hash: string;
  slot: number;
}

const keysOf = (cls: HashClass, hex: string): number[] => hashChunks(hex).map((k) => cls * CLASS_SPAN + k);

/** Rows to store for a registered image (none for a flat image: it matches nothing). */
export function imageIndexRows(fp: ImageFingerprint): IndexRow[] {
  if (fp.flat) return [];
  const rows: IndexRow[] = [];
  const add = (cls: HashClass, hex: string, slot: number) => {
    if (!hex) return;
    for (const chunkKey of keysOf(cls, hex)) rows.push({ chunkKey, hash: hexToInt8(hex), slot });
  };
  add(HashClass.Global, fp.global, GLOBAL_SLOT);
  for (const i of GRID_REGIONS) add(HashClass.Grid, fp.regions[i]!, i);
  add(HashClass.Centre, fp.regions[CENTRE_REGION]!, CENTRE_REGION);
  for (const i of ROTATED_REGIONS) add(HashClass.Rotated, fp.regions[i]!, i);
  return rows;
}

/** Per-chunk probe radius for each kind of probe (see the table above). */
export interface ProbeRadii {
  /** Q.global and Q.mirrored against stored global hashes. */
  global: number;
  /** Q.global against stored grid windows (crops). */
  crop: number;
  /** Q's grid windows against stored global hashes (added margins). */
  margin: number;
  /** Q.centre and Q.rotated against stored centres (rotations). */
  rotation: number;
}

/**
 * Chosen by measurement (README, bench:detect): with these every copy the full
 * comparison matches in the evaluation set is found by the index (crop radius
 * 1 lost 8 of 35 20%-crops; rotation radius 1 loses none).
 */
export const DEFAULT_PROBE_RADII: Readonly<ProbeRadii> = { global: 2, crop: 2, margin: 1, rotation: 1 };

export interface ProbePlan {
  keys: number[];
  /** Signed int8 text of the query hash each key belongs to. */
  hashes: string[];
  /** Largest Hamming distance kept for that probe. */
  maxDistances: number[];
}

export function imageProbePlan(q: ImageFingerprint, radii: ProbeRadii = DEFAULT_PROBE_RADII): ProbePlan {
  const plan: ProbePlan = { keys: [], hashes: [], maxDistances: [] };
  if (q.flat) return plan;
  const probe = (hex: string, cls: HashClass, radius: number, maxDistance: number) => {
    if (!hex) return;
    const value = hexToInt8(hex);
    // probeKeys(hex, d) probes the radius that guarantees distance d; ask for the radius directly.
    for (const key of probeKeys(hex, 4 * (radius + 1) - 1)) {
      plan.keys.push(cls * CLASS_SPAN + key);
      plan.hashes.push(value);
      plan.maxDistances.push(maxDistance);
    }
  };
  const g = IMAGE_THRESHOLDS.global;
  const r = IMAGE_THRESHOLDS.region; // the looser region threshold: compareImages applies each pair's own
  probe(q.global, HashClass.Global, radii.global, g);
  probe(q.mirrored, HashClass.Global, radii.global, g);
  probe(q.global, HashClass.Grid, radii.crop, r);
  for (const i of GRID_REGIONS) probe(q.regions[i]!, HashClass.Global, radii.margin, r);
  const t = IMAGE_THRESHOLDS.tight;
  probe(q.regions[CENTRE_REGION]!, HashClass.Centre, radii.rotation, t);
  probe(q.regions[CENTRE_REGION]!, HashClass.Rotated, radii.rotation, t);
  for (const i of ROTATED_REGIONS) probe(q.regions[i]!, HashClass.Centre, radii.rotation, t);
  return plan;
}

/** The window of a REGION_LAYOUT slot (fractions of the border-trimmed image), for evidence. */
export function slotWindow(slot: number): { x: number; y: number; w: number; h: number; angle: number; kind: string } {
  if (slot < 0 || slot === GLOBAL_SLOT) return { x: 0, y: 0, w: 1, h: 1, angle: 0, kind: 'whole' };
  const r = REGION_LAYOUT[slot]!;
  return { x: round(r.x), y: round(r.y), w: round(r.w), h: round(r.h), angle: r.angle, kind: r.kind };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
