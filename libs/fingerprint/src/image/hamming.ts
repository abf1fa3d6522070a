// 64-bit perceptual hashes as 16 lowercase hex digits, and the Hamming
// distance between them.
//
// Hex strings (not bigint) are the exchange format because they survive JSON,
// sort and compare as text, and map to PostgreSQL `bit(64)`/`int8` without
// sign surprises; the distance is computed on two 32-bit halves with a
// popcount, which is ~20× faster than going through BigInt.

const HEX64 = /^[0-9a-f]{16}$/;

/** Throws unless `hex` is exactly 16 lowercase hex digits. */
export function assertHash64(hex: string): void {
  if (!HEX64.test(hex)) throw new RangeError(`expected 16 lowercase hex digits, got ${JSON.stringify(hex)}`);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 64-bit hashes (0..64). */
export function hammingDistance(a: string, b: string): number {
  assertHash64(a);
  assertHash64(b);
  return popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount32(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

/** 64 bits (most significant first) → 16 hex digits. */
export function bitsToHex(bits: ArrayLike<number>): string {
  if (bits.length !== 64) throw new RangeError('expected 64 bits');
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let i = 0; i < 4; i++) v = (v << 1) | (bits[nibble * 4 + i] ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

export function hexToBigInt(hex: string): bigint {
  assertHash64(hex);
  return BigInt(`0x${hex}`);
}

export function bigIntToHex(v: bigint): string {
  if (v < 0n || v >= 1n << 64n) throw new RangeError('expected an unsigned 64-bit value');
  return v.toString(16).padStart(16, '0');
}
