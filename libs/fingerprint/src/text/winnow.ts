// Winnowing (Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for
// document fingerprinting", SIGMOD 2003): hash every k-token run, then in
// every window of w consecutive hashes keep the minimum (the rightmost one on
// ties), recording each selected hash once with its position.
//
// Guarantees: any shared run of at least t = w + k − 1 tokens yields at least
// one common selected hash, and no run shorter than k tokens does (noise
// threshold). Density is about 2 / (w + 1) of positions.
//
// Tokens are words or characters (see tokenize.ts), so k and w depend on the
// scheme:
// - 'word': k = 5, w = 4 → every shared run of 8+ words is found. Common
//   4-word phrases ("and it came to") would otherwise seed spurious matches.
// - 'char': k = 5, w = 5 → every shared run of 9+ characters (a clause or two
//   of Chinese). Longer k misses copies edited every few characters.

import { hashRun32 } from './hash32.js';
import { type TextScheme, type TokenSequence, tokenize } from './tokenize.js';

export interface WinnowParams {
  /** Tokens per hashed run (noise threshold). */
  readonly k: number;
  /** Window, in consecutive k-gram hashes. */
  readonly w: number;
}

export const WINNOW_PARAMS: Readonly<Record<TextScheme, WinnowParams>> = {
  word: { k: 5, w: 4 },
  char: { k: 5, w: 5 },
};

export interface WinnowPrint {
  /** 32-bit hash of the k-token run. */
  hash: number;
  /** Original-text offset where the run starts. */
  offset: number;
  /** Original-text offset just past the run. */
  end: number;
}

/** Selected k-gram hashes with their token positions (ascending). */
export interface TokenWinnow {
  readonly hashes: Uint32Array;
  readonly positions: Int32Array;
}

/** Winnows a token sequence; a text shorter than k tokens has no fingerprints. */
export function winnowTokens(seq: TokenSequence, params: WinnowParams = WINNOW_PARAMS[seq.scheme]): TokenWinnow {
  const { k, w } = params;
  const n = seq.hashes.length - k + 1;
  if (n <= 0) return { hashes: new Uint32Array(0), positions: new Int32Array(0) };
  const grams = new Uint32Array(n);
  for (let i = 0; i < n; i++) grams[i] = hashRun32(seq.hashes, i, k);

  const hashes: number[] = [];
  const positions: number[] = [];
  const window = Math.min(w, n);
  let min = -1;
  for (let end = window - 1; end < n; end++) {
    const start = end - window + 1;
    if (min < start) {
      // The previous minimum left the window: rescan, rightmost minimum wins.
      min = start;
      for (let i = start + 1; i <= end; i++) if (grams[i]! <= grams[min]!) min = i;
    } else if (grams[end]! <= grams[min]!) {
      min = end;
    } else {
      continue;
    }
    if (positions.length === 0 || positions[positions.length - 1] !== min) {
      hashes.push(grams[min]!);
      positions.push(min);
    }
  }
  return { hashes: Uint32Array.from(hashes), positions: Int32Array.from(positions) };
}

export interface WinnowOptions {
  scheme?: TextScheme;
  params?: WinnowParams;
}

/** Winnowing fingerprints of `text`, with ORIGINAL offsets of each selected run. */
export function winnow(text: string, options: WinnowOptions = {}): WinnowPrint[] {
  const seq = tokenize(text, options.scheme);
  const params = options.params ?? WINNOW_PARAMS[seq.scheme];
  const { hashes, positions } = winnowTokens(seq, params);
  const out: WinnowPrint[] = [];
  for (let i = 0; i < hashes.length; i++) {
    const p = positions[i]!;
    out.push({ hash: hashes[i]!, offset: seq.starts[p]!, end: seq.ends[p + params.k - 1]! });
  }
  return out;
}
