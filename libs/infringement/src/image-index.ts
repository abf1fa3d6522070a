// What of an image fingerprint goes into the multi-index hashing table, and
// which keys a lookup probes. compareImages() compares these pairs (query Q,
// stored S): global↔global, mirror↔global, global↔grid windows both ways,
// centre↔centre and centre↔rotated centres both ways. The index only has to
// bring the right candidates to compareImages, which then compares every
// pair; these probes reach them:
//
//   stored class   hashes per image   probed by (query side)
//   global         1                  Q.global, Q.mirrored, each Q.grid window
//   grid 90%       16                 Q.global (Q is a 10% crop of S)
//   grid 80%       25                 Q.global (Q is a 20% crop of S)
//   centres        1 + 4              Q.centre (S's centre; S's centre turned
//                                     by a few degrees when Q is S rotated)
//
// (mirrored↔global is reached as Q.mirrored↔S.global only: the reverse pair
// is the same picture flipped the other way. Q's rotated centres are not
// probed: on the evaluation set every rotated copy they would reach is
// reached through Q.centre, and they cost 176 keys.)
//
// Each hash is stored as 4 chunk keys (hashChunks: 16-bit chunks) in its
// class's key space. A lookup probes, per chunk, the query's own chunk value
// and the values its least reliable bits flip to (multiProbeKeys: the query
// fingerprint lists them), and keeps rows within the match threshold (the
// Hamming check runs in the index scan). Exact chunk keys alone find every
// pair within distance 3 (pigeonhole); the flips find most pairs up to the
// thresholds, which is a speed/recall trade-off measured by bench:detect.
//
// Near misses: the crop probe's exact and weak-bit keys (crop20Near) also
// keep 80% windows out to IMAGE_THRESHOLDS.near, a 20% crop between two
// windows, which the worker re-aligns on the pixels. The index query keeps
// such a row only when a neighbouring window of the same image is near the
// query too (nearMissNeighbours): among 10⁶ random fingerprints ~190 rows
// per lookup are within 16 of the query by chance, and few pass that check.
import { CENTRE_REGION, GRID80_REGIONS, GRID_NEIGHBOURS, GRID_REGIONS, hashChunks, IMAGE_THRESHOLDS, multiProbeKeys, REGION_LAYOUT, ROTATED_REGIONS, type ImageFingerprint, type WeakProbe } from '#fingerprint';
import { hexToInt8 } from './hash64.js';

export enum HashClass {
  Global = 0,
  /** 90% grid windows (10% crops). */
  Grid90 = 1,
  // 2: centres until migration 1764970000000 moved them into Centres, the
  // key space the same query hash probes: one set of keys instead of two.
  /** The centre and the rotated centres (rotations). */
  Centres = 3,
  /** 80% grid windows (20% crops): their own key space, probed with more keys (migration 1764960000000). */
  Grid80 = 4,
}

/** Slot numbers stored with each hash: a REGION_LAYOUT index, or GLOBAL_SLOT. */
export const GLOBAL_SLOT = 64;
const CLASS_SPAN = 1 << 18; // hashChunks keys are < 4 · 2^16
const gridClass = (slot: number) => (GRID80_REGIONS.includes(slot) ? HashClass.Grid80 : HashClass.Grid90);

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
  for (const i of GRID_REGIONS) add(gridClass(i), fp.regions[i]!, i);
  for (const i of [CENTRE_REGION, ...ROTATED_REGIONS]) add(HashClass.Centres, fp.regions[i]!, i);
  return rows;
}

/** How each kind of probe (see the table above) chooses its keys: multiProbeKeys. */
export interface ProbeSpecs {
  /** Q.global and Q.mirrored against stored global hashes. */
  global: WeakProbe;
  /** Q.global against stored 90% grid windows (10% crops): 16 M hashes at 10⁶ images, ~244 rows per key. */
  crop10: WeakProbe;
  /** Q.global against stored 80% grid windows (20% crops, further from their window): 25 M hashes, ~381 rows per key. */
  crop20: WeakProbe;
  /**
   * The crop20 keys that also keep near misses (rows out to
   * IMAGE_THRESHOLDS.near): a subset, since every near-miss row costs a
   * fingerprint read for its neighbour check.
   */
  crop20Near: WeakProbe;
  /** Q's grid windows against stored global hashes (added margins): 41 probing hashes. */
  margin: WeakProbe;
  /** Q.centre against stored centres and rotated centres (rotations). */
  rotation: WeakProbe;
}

/**
 * Chosen by measurement (libs/fingerprint/README.md, "Query-directed
 * probes"): each key costs a B-tree descent (~8-12 µs at 10⁸ index rows)
 * and each row it selects ~0.2 µs, so the plan spends keys where copies are
 * found: ~425 per query against ~5,050 for every chunk value within a radius
 * (2 for global and crop probes, 1 for the rest). On the evaluation set
 * both miss 4 of 966 copies the full comparison matches (3 20% crops and a
 * text overlay here; 2 contrast, 1 rotation and 1 crop there).
 */
export const DEFAULT_PROBES: Readonly<ProbeSpecs> = {
  global: { radius: 0, weakBits: 4, weakFlips: 2 },
  crop10: { radius: 0, weakBits: 3, weakFlips: 2 },
  crop20: { radius: 1, weakBits: 3, weakFlips: 3 },
  crop20Near: { radius: 0, weakBits: 3, weakFlips: 3 },
  margin: { radius: 0, weakBits: 0, weakFlips: 0 },
  rotation: { radius: 0, weakBits: 6, weakFlips: 2 },
};

export interface ProbePlan {
  keys: number[];
  /** Signed int8 text of the query hash each key belongs to. */
  hashes: string[];
  /** Largest Hamming distance kept for that probe. */
  maxDistances: number[];
  /**
   * Largest distance kept outright. A row between this and maxDistance is a
   * near miss (an 80% window, nearGridPair), kept only when a neighbouring
   * window of the same image is near too (nearMissNeighbours).
   */
  strictDistances: number[];
}

/**
 * The 80% grid's neighbour pairs (slot, neighbour) and the bound on the sum
 * of their distances (2 × IMAGE_THRESHOLDS.nearPair): what the index query
 * checks for a near-miss row before the row's image becomes a candidate.
 * Without it a lookup among 10⁶ images kept ~190 chance rows within 16 of
 * the query (bench:detect) and the candidate fingerprints took twice as long
 * to load as the whole lookup had.
 */
export function nearMissNeighbours(): { slots: number[]; neighbours: number[]; maxSum: number } {
  const pairs = GRID80_REGIONS.flatMap((slot) => GRID_NEIGHBOURS.get(slot)!.map((n) => [slot, n] as const));
  return { slots: pairs.map(([s]) => s), neighbours: pairs.map(([, n]) => n), maxSum: 2 * IMAGE_THRESHOLDS.nearPair };
}

/** The probes of a query image. */
export function imageProbePlan(q: ImageFingerprint, specs: ProbeSpecs = DEFAULT_PROBES): ProbePlan {
  const plan: ProbePlan = { keys: [], hashes: [], maxDistances: [], strictDistances: [] };
  if (q.flat) return plan;
  /** `near`: the keys (a subset of spec's) that keep rows out to near.distance, beyond maxDistance. */
  const probe = (hex: string, weak: readonly number[] | undefined, cls: HashClass, spec: WeakProbe, maxDistance: number, near?: { spec: WeakProbe; distance: number }) => {
    if (!hex) return;
    const value = hexToInt8(hex);
    const nearKeys = new Set(near ? multiProbeKeys(hex, near.spec, weak) : []);
    for (const key of multiProbeKeys(hex, spec, weak)) {
      plan.keys.push(cls * CLASS_SPAN + key);
      plan.hashes.push(value);
      plan.maxDistances.push(nearKeys.has(key) ? near!.distance : maxDistance);
      plan.strictDistances.push(maxDistance);
    }
  };
  const g = IMAGE_THRESHOLDS.global;
  const r = IMAGE_THRESHOLDS.region; // the looser region threshold: compareImages applies each pair's own
  const weak = q.weak;
  // At r, not .tight: a 20% crop within 11-12 of a 90% window is a candidate that its 80% window then matches.
  probe(q.global, weak?.global, HashClass.Grid90, specs.crop10, r);
  // Some keys out to .near: a 20% crop that fell between two windows is re-aligned on the pixels (nearGridPair).
  probe(q.global, weak?.global, HashClass.Grid80, specs.crop20, r, { spec: specs.crop20Near, distance: IMAGE_THRESHOLDS.near });
  probe(q.global, weak?.global, HashClass.Global, specs.global, g);
  probe(q.mirrored, weak?.mirrored, HashClass.Global, specs.global, g);
  for (const i of GRID_REGIONS) probe(q.regions[i]!, weak?.regions[i], HashClass.Global, specs.margin, r);
  const t = IMAGE_THRESHOLDS.tight;
  probe(q.regions[CENTRE_REGION]!, weak?.regions[CENTRE_REGION], HashClass.Centres, specs.rotation, t);
  return plan;
}

/**
 * Splits a plan into `n` plans of alternate keys. Every probe's keys are
 * consecutive, so each part gets an equal share of every kind of probe and
 * about the same work: the parts can run side by side on separate connections.
 */
export function splitProbePlan(plan: ProbePlan, n: number): ProbePlan[] {
  return Array.from({ length: n }, (_, part) => {
    const keep = <T>(list: T[]) => list.filter((_, i) => i % n === part);
    return { keys: keep(plan.keys), hashes: keep(plan.hashes), maxDistances: keep(plan.maxDistances), strictDistances: keep(plan.strictDistances) };
  });
}

/** The window of a REGION_LAYOUT slot (fractions of the border-trimmed image), for evidence. */
export function slotWindow(slot: number): { x: number; y: number; w: number; h: number; angle: number; kind: string } {
  if (slot < 0 || slot === GLOBAL_SLOT) return { x: 0, y: 0, w: 1, h: 1, angle: 0, kind: 'whole' };
  const r = REGION_LAYOUT[slot]!;
  return { x: round(r.x), y: round(r.y), w: round(r.w), h: round(r.h), angle: r.angle, kind: r.kind };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
