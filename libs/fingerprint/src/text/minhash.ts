// MinHash signatures: a fixed-size summary of a shingle set whose positions
// agree between two sets with probability equal to their Jaccard similarity.
//
// Each shingle is hashed once (32-bit, see hash32.ts); the k "permutations"
// are the universal hash family h_i(x) = (a_i·x + b_i) mod p with the Mersenne
// prime p = 2³¹ − 1. Mersenne reduction needs only a power-of-two split, and
// splitting a_i into 15+16 bits keeps every product below 2⁵³, so the
// arithmetic is exact in plain JavaScript numbers without BigInt (which would
// be ~50× slower).
//
// The coefficients are derived from SHA-256 of a fixed label, so every worker
// computes identical signatures; they are part of the stored format.

import { sha256 } from '@noble/hashes/sha2.js';

/** Default number of hash functions: 128 gives a Jaccard estimate with standard error ≤ 0.045. */
export const MINHASH_SIZE = 128;

/** Marks an empty signature slot (no shingles). Valid slots are < 2³¹ − 1. */
export const EMPTY_SLOT = 0xffffffff;

const P = 2147483647; // 2^31 - 1
const TWO31 = 2147483648;
const TWO16 = 65536;

function modP(v: number): number {
  // v < 2^53; 2^31 ≡ 1 (mod p), so v ≡ floor(v / 2^31) + (v mod 2^31).
  const hi = Math.floor(v / TWO31);
  let r = hi + (v - hi * TWO31);
  if (r >= P) r -= P;
  if (r >= P) r -= P;
  return r;
}

interface Coefficients {
  aHi: Float64Array;
  aLo: Float64Array;
  b: Float64Array;
}

const coefficientCache = new Map<number, Coefficients>();

function coefficients(k: number): Coefficients {
  const cached = coefficientCache.get(k);
  if (cached) return cached;
  const aHi = new Float64Array(k);
  const aLo = new Float64Array(k);
  const b = new Float64Array(k);
  const label = new TextEncoder().encode('copyright-ledger/fingerprint/minhash/v1');
  for (let i = 0; i < k; i++) {
    const input = new Uint8Array(label.length + 4);
    input.set(label);
    new DataView(input.buffer).setUint32(label.length, i);
    const digest = sha256(input);
    const d = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    // a in [1, p), b in [0, p).
    const a = (d.getUint32(0) % (P - 1)) + 1;
    aHi[i] = Math.floor(a / TWO16);
    aLo[i] = a % TWO16;
    b[i] = d.getUint32(4) % P;
  }
  const c = { aHi, aLo, b };
  coefficientCache.set(k, c);
  return c;
}

/** MinHash signature of a set of 32-bit shingle hashes (duplicates are harmless). */
export function minhashSignature(shingles: Uint32Array, size = MINHASH_SIZE): Uint32Array {
  const { aHi, aLo, b } = coefficients(size);
  const mins = new Float64Array(size).fill(Infinity);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s]! % P;
    for (let i = 0; i < size; i++) {
      const t = modP(aHi[i]! * x);
      const h = modP(t * TWO16 + aLo[i]! * x + b[i]!);
      if (h < mins[i]!) mins[i] = h;
    }
  }
  const sig = new Uint32Array(size);
  for (let i = 0; i < size; i++) sig[i] = mins[i] === Infinity ? EMPTY_SLOT : mins[i]!;
  return sig;
}

/** True when the signature came from an empty shingle set. */
export function isEmptySignature(sig: Uint32Array): boolean {
  return sig.length === 0 || sig[0] === EMPTY_SLOT;
}

/**
 * Estimated Jaccard similarity (0..1) of the sets behind two signatures of
 * the same size: the share of positions whose minima agree. Empty sets
 * resemble nothing, so an empty signature scores 0.
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signature sizes differ: ${a.length} vs ${b.length}`);
  if (isEmptySignature(a) || isEmptySignature(b)) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** Signature as lowercase hex, 8 digits per slot (for a text or bytea column). */
export function signatureToHex(sig: Uint32Array): string {
  let s = '';
  for (const v of sig) s += v.toString(16).padStart(8, '0');
  return s;
}

export function signatureFromHex(hex: string): Uint32Array {
  if (hex.length % 8 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new RangeError('signature hex must be 8 hex digits per slot');
  const sig = new Uint32Array(hex.length / 8);
  for (let i = 0; i < sig.length; i++) sig[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return sig;
}
