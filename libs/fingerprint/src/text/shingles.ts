// Shingles: the set of hashed n-token runs that MinHash and containment
// compare.
//
// Sizes (why):
// - 'word': 3 words. Replacing 20% of the words at random keeps a 3-word
//   shingle with probability 0.8³ ≈ 0.51 (Jaccard ≈ 0.34), while unrelated
//   English texts share well under 1% of their 3-word shingles. 2 words is
//   too common ("of the"); 4 words loses too much under editing (0.8⁴ ≈ 0.41).
// - 'char': 4 characters. A Chinese word is 1-2 characters, so 4 characters
//   span about 2-3 words — the same reach as 3 English words. Measured on
//   Tang/Song poems (eval/eval-text.ts): 5 characters dropped the 20%-edited
//   Jaccard to ~0.2 while 4 kept unrelated pairs under 0.02.

import { hashRun32 } from './hash32.js';
import type { TextScheme, TokenSequence } from './tokenize.js';

export const SHINGLE_SIZE: Readonly<Record<TextScheme, number>> = { word: 3, char: 4 };

/**
 * Sorted, de-duplicated 32-bit hashes of every run of SHINGLE_SIZE[scheme]
 * tokens. A text shorter than one shingle yields one shingle of all its
 * tokens, so a short title still has a fingerprint; an empty text yields none.
 */
export function shingleSet(seq: TokenSequence, size = SHINGLE_SIZE[seq.scheme]): Uint32Array {
  const n = seq.hashes.length;
  if (n === 0) return new Uint32Array(0);
  const count = Math.max(1, n - size + 1);
  const width = Math.min(size, n);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = hashRun32(seq.hashes, i, width);
  out.sort();
  let w = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0 || out[i] !== out[i - 1]) out[w++] = out[i]!;
  }
  return out.slice(0, w);
}

/** |A ∩ B| of two sorted, de-duplicated sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      common++;
      i++;
      j++;
    }
  }
  return common;
}
