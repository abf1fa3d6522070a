// LSH banding: turns a MinHash signature into band keys that storage indexes
// with plain equality lookups. Two works become candidates when they share at
// least one key; candidates are then verified with estimateJaccard() or the
// exact containment() before anything is reported.
//
// Parameters (why 64 bands × 2 rows of the 128 slots): a pair with Jaccard J
// shares a band with probability 1 − (1 − J²)⁶⁴:
//   J:      0.02   0.05   0.10   0.20   0.25   0.30   0.40
//   P:      0.025  0.15   0.47   0.93   0.98   0.998  1.000
// A 30% excerpt of a work has J ≈ 0.3 with the whole, and a copy with 20% of
// its words replaced has J ≈ 0.34 (word scheme), so both must be caught at
// J ≈ 0.25-0.3; 32 × 4 (threshold ~0.42) would catch a 30% excerpt only 23% of
// the time. The price is more candidates among weakly related works
// (J ≈ 0.1 → 47%), which verification discards; unrelated works share well
// under 1% of shingles (J < 0.01 → < 0.6%).
//
// A key is the first 64 bits of SHA-256 over (format version, scheme, band
// index, the band's slot values), as 16 hex digits: keys from different
// bands or schemes never coincide except by a 2⁻⁶⁴ accident, so storage needs
// one indexed column, not (band, value) pairs.

import { sha256 } from '@noble/hashes/sha2.js';
import { isEmptySignature } from './minhash.js';
import type { TextScheme } from './tokenize.js';

export interface LshParams {
  readonly bands: number;
  readonly rows: number;
}

export const DEFAULT_LSH: LshParams = { bands: 64, rows: 2 };

/** Probability that two sets with Jaccard `j` share at least one band key. */
export function lshCatchProbability(j: number, params: LshParams = DEFAULT_LSH): number {
  return 1 - (1 - j ** params.rows) ** params.bands;
}

const SCHEME_TAG: Record<TextScheme, number> = { word: 1, char: 2 };

/** Band keys (16 hex digits each, one per band) of a signature; none for an empty text. */
export function lshBandKeys(sig: Uint32Array, scheme: TextScheme, params: LshParams = DEFAULT_LSH): string[] {
  const { bands, rows } = params;
  if (bands * rows > sig.length) throw new RangeError(`${bands} bands × ${rows} rows need ${bands * rows} slots, signature has ${sig.length}`);
  if (isEmptySignature(sig)) return [];
  const keys: string[] = [];
  const buf = new Uint8Array(4 + rows * 4);
  const view = new DataView(buf.buffer);
  for (let band = 0; band < bands; band++) {
    view.setUint8(0, 1); // key format version
    view.setUint8(1, SCHEME_TAG[scheme]);
    view.setUint16(2, band);
    for (let r = 0; r < rows; r++) view.setUint32(4 + r * 4, sig[band * rows + r]!);
    const d = sha256(buf);
    let hex = '';
    for (let i = 0; i < 8; i++) hex += d[i]!.toString(16).padStart(2, '0');
    keys.push(hex);
  }
  return keys;
}
