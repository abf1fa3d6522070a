// DCT perceptual hash (pHash) of a 32×32 greyscale block, and of its
// horizontal mirror image.
//
// The 2-D DCT separates a picture into spatial frequencies. Resizing, JPEG
// compression, small overlays and colour changes mostly disturb the high
// frequencies, so the hash keeps only the 8×8 lowest non-constant ones
// (rows and columns 1..8, as the original pHash library does: the DC term is
// the mean brightness and row/column 0 carry little shape) and stores 1 bit
// each: above or below their median. Thresholding at the median makes the
// hash invariant to brightness and contrast changes (a linear change of the
// pixels scales every AC coefficient alike) and gives exactly 32 ones.
//
// Mirroring: flipping x → 31 − x multiplies the coefficient of horizontal
// frequency v by (−1)^v, so the mirrored image's hash comes from the same
// coefficients with odd columns negated — exact and free.

import { bitsToHex } from './hamming.js';

export const BLOCK = 32;
const LOW = 8;

// cos(π(2x+1)u / 2N) for u = 0..LOW, x = 0..N−1.
const COS: Float64Array[] = Array.from({ length: LOW + 1 }, (_, u) =>
  Float64Array.from({ length: BLOCK }, (_, x) => Math.cos((Math.PI * (2 * x + 1) * u) / (2 * BLOCK))),
);

export interface BlockHash {
  /** pHash of the block, 16 hex digits. */
  hash: string;
  /** pHash of the block mirrored left-right. */
  mirrored: string;
  /** Standard deviation of the block's pixels (0..255): near 0 means flat, and a flat block's hash is noise. */
  contrast: number;
  /** Bit positions of `hash` (0 = first bit), least reliable first: coefficients nearest the median flip first. */
  weak: number[];
  /** The same for `mirrored`. */
  mirroredWeak: number[];
}

/** How many of the least reliable bit positions a BlockHash lists. */
export const WEAK_BITS = 24;

/** Low-frequency DCT coefficients F[u][v] (u vertical, v horizontal), u, v in 0..8. */
export function lowDct(block: Float64Array): Float64Array[] {
  if (block.length !== BLOCK * BLOCK) throw new RangeError(`expected a ${BLOCK}×${BLOCK} block`);
  // Rows first: R[y][v] = Σx f(y, x)·cos_v(x); then F[u][v] = Σy cos_u(y)·R[y][v].
  const rows: Float64Array[] = [];
  for (let y = 0; y < BLOCK; y++) {
    const r = new Float64Array(LOW + 1);
    for (let v = 0; v <= LOW; v++) {
      let s = 0;
      const c = COS[v]!;
      for (let x = 0; x < BLOCK; x++) s += block[y * BLOCK + x]! * c[x]!;
      r[v] = s;
    }
    rows.push(r);
  }
  const out: Float64Array[] = [];
  for (let u = 0; u <= LOW; u++) {
    const f = new Float64Array(LOW + 1);
    const c = COS[u]!;
    for (let v = 0; v <= LOW; v++) {
      let s = 0;
      for (let y = 0; y < BLOCK; y++) s += c[y]! * rows[y]![v]!;
      f[v] = s;
    }
    out.push(f);
  }
  return out;
}

function median64(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return (sorted[31]! + sorted[32]!) / 2;
}

function medianBits(values: Float64Array): { bits: number[]; weak: number[] } {
  const median = median64(values);
  const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[a]! - median) - Math.abs(values[b]! - median));
  return { bits: Array.from(values, (v) => (v > median ? 1 : 0)), weak: order.slice(0, WEAK_BITS) };
}

/** pHash, mirrored pHash and contrast of a 32×32 block of grey levels (0..255), row-major. */
export function blockHash(block: Float64Array): BlockHash {
  const f = lowDct(block);
  const plain = new Float64Array(64);
  const mirror = new Float64Array(64);
  for (let u = 1; u <= LOW; u++) {
    for (let v = 1; v <= LOW; v++) {
      const c = f[u]![v]!;
      plain[(u - 1) * LOW + (v - 1)] = c;
      mirror[(u - 1) * LOW + (v - 1)] = v % 2 === 1 ? -c : c;
    }
  }
  let sum = 0;
  let sq = 0;
  for (const p of block) {
    sum += p;
    sq += p * p;
  }
  const mean = sum / block.length;
  const p = medianBits(plain);
  const m = medianBits(mirror);
  return {
    hash: bitsToHex(p.bits),
    mirrored: bitsToHex(m.bits),
    weak: p.weak,
    mirroredWeak: m.weak,
    contrast: Math.sqrt(Math.max(0, sq / block.length - mean * mean)),
  };
}
