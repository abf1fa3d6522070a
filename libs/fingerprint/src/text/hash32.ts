// Small, fast 32-bit hashes for tokens and shingles.
//
// Why not SHA-256 here: a 50 KB text has ~10 000 shingles and each is hashed
// once, then fed to 128 MinHash permutations; a cryptographic hash would cost
// more than everything else together and buys nothing, because MinHash only
// needs the values to look random, not to resist an adversary. Collisions of
// 32-bit values matter little: two unrelated 10 000-shingle texts share about
// 10 000² / 2³² ≈ 0.02 shingles by accident.
//
// These values are persisted indirectly (MinHash signatures, LSH band keys,
// winnowing hashes), so the constants below are part of the stored format:
// changing them means re-fingerprinting every registered work.

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;

/** FNV-1a over the UTF-16 code units of `s`, finished with murmur3's fmix32 for avalanche. */
export function hashString32(s: string): number {
  let h = FNV_OFFSET_32;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME_32);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: a bijection on uint32 that spreads every input bit to every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * Hashes the ordered run `values[start .. start+count)` (already 32-bit token
 * hashes) with the murmur3_32 block mixing. Order matters, so "a b c" and
 * "c b a" give different shingles.
 */
export function hashRun32(values: Uint32Array, start: number, count: number, seed = 0x9747b28c): number {
  let h = seed;
  for (let i = start; i < start + count; i++) {
    let k = Math.imul(values[i]!, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ count);
}
