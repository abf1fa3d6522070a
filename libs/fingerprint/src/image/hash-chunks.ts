// Multi-index hashing keys for finding 64-bit hashes within a Hamming
// distance in PostgreSQL with plain B-tree equality lookups.
//
// Split each stored hash into m chunks and index (chunk position, chunk
// value). By pigeonhole, two hashes at distance d ≤ m − 1 agree exactly on at
// least one chunk; more generally, if d ≤ m·(r + 1) − 1, at least one chunk
// differs in at most r bits (Norouzi, Punjani & Fleet, "Fast search in
// Hamming space with multi-index hashing", CVPR 2012). So a query looks up,
// for every chunk, every value within r bits of its own chunk
// (probeKeys), then verifies candidates with hammingDistance().
//
// Default: 4 chunks of 16 bits.
//   radius r   guaranteed distance   keys looked up per query hash
//   0          d ≤ 3                 4
//   1          d ≤ 7                 68
//   2          d ≤ 11                548
//   3          d ≤ 15                2 788
// The image thresholds are 12 (IMAGE_THRESHOLDS), so a lookup that must
// never miss needs r = 3; r = 2 (d ≤ 11) keeps ~98% of the matches found
// with r = 3 in the evaluation (README). Each key selects about N / 65 536 of
// N stored hashes. Narrower chunks (8 × 8 bits: d ≤ 7 exact, d ≤ 15 with 72
// keys at r = 1) need fewer keys but each selects N / 256 rows, which is
// worse beyond ~10⁵ images.
//
// Query-directed probing (multiProbeKeys): a pHash bit flips between a copy
// and its original when its DCT coefficient sits near the median, so the
// query's least reliable bits (BlockHash.weak) predict where a true match
// differs. Flipping subsets of a chunk's few weakest bits finds most true
// matches with a fraction of the keys of a full radius (Lv et al.,
// "Multi-probe LSH", VLDB 2007, orders probes the same way). Each key costs
// a B-tree descent (~8-12 µs in PostgreSQL at 10⁸ rows, measured) while a
// row it selects costs ~0.2 µs, so keys are what a lookup must save.
//
// A key is chunkIndex · 2^bits + value: unique per position, so one integer
// column (int4 for 16-bit chunks) holds all of them.

import { assertHash64, hexToBigInt } from './hamming.js';

const ALLOWED_BITS = [4, 8, 16, 32];

function check(bits: number): number {
  if (!ALLOWED_BITS.includes(bits)) throw new RangeError(`chunk width must be one of ${ALLOWED_BITS.join(', ')} bits`);
  return 64 / bits;
}

/** The hash's chunks as raw values (most significant chunk first). */
export function chunkValues(hex: string, bits = 16): number[] {
  assertHash64(hex);
  const m = check(bits);
  const v = hexToBigInt(hex);
  const mask = (1n << BigInt(bits)) - 1n;
  return Array.from({ length: m }, (_, i) => Number((v >> BigInt(64 - (i + 1) * bits)) & mask));
}

/**
 * Index keys of a stored hash: one per chunk, chunkIndex · 2^bits + value.
 * With the default 4 × 16 bits, hashes within distance 3 share at least one key.
 */
export function hashChunks(hex: string, bits = 16): number[] {
  return chunkValues(hex, bits).map((v, i) => i * 2 ** bits + v);
}

/** Largest distance for which a lookup with `radius` is guaranteed to find a stored hash. */
export function guaranteedDistance(radius: number, bits = 16): number {
  return check(bits) * (radius + 1) - 1;
}

/** Smallest per-chunk radius whose lookup is guaranteed to find every hash within `maxDistance`. */
export function radiusFor(maxDistance: number, bits = 16): number {
  return Math.max(0, Math.ceil((maxDistance + 1) / check(bits)) - 1);
}

/**
 * Keys to look up so that every stored hash within `maxDistance` of `hex`
 * shares at least one of them (see radiusFor for the per-chunk radius).
 */
export function probeKeys(hex: string, maxDistance: number, bits = 16): number[] {
  const radius = radiusFor(maxDistance, bits);
  if (radius > 4) throw new RangeError(`maxDistance ${maxDistance} needs radius ${radius}: too many keys; use wider search or a scan`);
  const keys: number[] = [];
  chunkValues(hex, bits).forEach((value, i) => {
    const base = i * 2 ** bits;
    // Every value within `radius` flipped bits of this chunk.
    const flip = (v: number, from: number, left: number): void => {
      keys.push(base + v);
      if (left === 0) return;
      for (let b = from; b < bits; b++) flip((v ^ (1 << b)) >>> 0, b + 1, left - 1);
    };
    flip(value, 0, radius);
  });
  return keys;
}

/** Extra probes from a hash's least reliable bits (see multiProbeKeys). */
export interface WeakProbe {
  /** Every value within this many bits of each chunk. */
  radius: number;
  /** Per chunk, this many of the query's least reliable bits in that chunk... */
  weakBits: number;
  /** ...flipped in every combination of up to this many. */
  weakFlips: number;
}

/**
 * Keys for the chunk values within `radius` of the hash's chunks, plus the
 * values reached by flipping up to `weakFlips` of each chunk's `weakBits`
 * least reliable bits. `weak` lists bit positions (0 = first bit of the hex),
 * least reliable first (BlockHash.weak); without it only the radius is probed.
 */
export function multiProbeKeys(hex: string, probe: WeakProbe, weak: readonly number[] = [], bits = 16): number[] {
  const keys = new Set(probeKeys(hex, guaranteedDistance(probe.radius, bits), bits));
  if (probe.weakFlips <= probe.radius) return [...keys];
  chunkValues(hex, bits).forEach((value, i) => {
    const first = i * bits;
    // Position p (first bit = 0) is bit (bits − 1 − (p − first)) of its chunk's value.
    const masks = weak
      .filter((p) => p >= first && p < first + bits)
      .slice(0, probe.weakBits)
      .map((p) => 1 << (bits - 1 - (p - first)));
    const flip = (v: number, from: number, left: number): void => {
      keys.add(i * 2 ** bits + v);
      if (left === 0) return;
      for (let k = from; k < masks.length; k++) flip((v ^ masks[k]!) >>> 0, k + 1, left - 1);
    };
    flip(value, 0, probe.weakFlips);
  });
  return [...keys];
}
