// RFC 9162 section 2.1 Merkle Tree Hash: leaf/node hashing and the reference MTH.
import { sha256 } from './sha256.js';

// Hashing is synchronous, so one module-level buffer can hold the prefixed
// input of every leaf/node hash; it saves an allocation per hash (see sha256.ts).
const scratch = new Uint8Array(65);

function prefixedHash(prefix: number, a: Uint8Array, b?: Uint8Array): Uint8Array {
  const length = 1 + a.length + (b?.length ?? 0);
  // Leaves (entry bytes) outgrow the scratch: a pooled, uninitialised Buffer is
  // ~0.5 us cheaper per leaf than a zeroed Uint8Array, and every byte is set below.
  const buf = length <= scratch.length ? scratch.subarray(0, length) : Buffer.allocUnsafe(length);
  buf[0] = prefix;
  buf.set(a, 1);
  if (b) buf.set(b, 1 + a.length);
  return sha256(buf);
}

/** SHA-256(0x00 || data): the hash of one leaf. */
export function leafHash(data: Uint8Array): Uint8Array {
  return prefixedHash(0x00, data);
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return prefixedHash(0x01, left, right);
}

/** MTH({}) = SHA-256(""), the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** Largest power of two strictly less than n (n >= 2): where MTH splits a tree of n leaves. */
export function splitPoint(n: number): number {
  // Multiplication rather than shifts: tree sizes may exceed 2^31.
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Reference MTH over already-hashed leaves, straight from the RFC's recursive
 * definition. O(n): for tests and the offline checker, not the request path.
 */
export function merkleTreeHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  const mth = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leafHashes[start]!;
    const k = start + splitPoint(end - start);
    return nodeHash(mth(start, k), mth(k, end));
  };
  return leafHashes.length === 0 ? EMPTY_ROOT : mth(0, leafHashes.length);
}
