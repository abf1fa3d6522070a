// Random positive serial numbers for certificates and time-stamp tokens.
import { randomFillSync } from 'node:crypto';

// One CSPRNG call fills bytes for 256 serials: a call per token cost ~7 us,
// a tenth of issuing the token.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomBytesFromPool(length: number): Buffer {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + length)); // a copy: the pool is refilled in place
  used += length;
  return bytes;
}

/**
 * A uniformly random non-zero integer below 2^bits. Unpredictable serials are
 * what RFC 5280 (certificates) and RFC 3161 (TSTInfo.serialNumber must be
 * unique per TSA) rely on when no persistent counter is available; at 127+
 * bits a collision is not a practical concern.
 */
export function randomSerial(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 64 || bits > 159) throw new RangeError('serial size must be 64..159 bits');
  const bytes = randomBytesFromPool(Math.ceil(bits / 8));
  const excess = bytes.length * 8 - bits;
  bytes[0]! &= 0xff >> excess;
  const value = BigInt(`0x${bytes.toString('hex')}`);
  return value === 0n ? 1n : value;
}
