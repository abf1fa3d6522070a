// The text fingerprint a worker stores per registered work, and the
// verification that turns an LSH candidate into a reportable match.
//
// Flow: textFingerprint(work) → store `bandKeys` in an equality index and the
// signature(s) beside them; for a new work, every stored work sharing a band
// key is a candidate; compareTexts() (exact, needs both texts) or
// estimateFingerprintJaccard() (signatures only) verifies it; isTextMatch()
// applies the thresholds; matchPassages() produces the evidence.

import { DEFAULT_LSH, type LshParams, lshBandKeys } from './lsh.js';
import { MINHASH_SIZE, estimateJaccard, minhashSignature } from './minhash.js';
import { normalizeText } from './normalize-text.js';
import { intersectionSize, shingleSet } from './shingles.js';
import {
  AMBIGUOUS_RATIO,
  type TextScheme,
  chooseScheme,
  detectScheme,
  noSpaceScriptRatio,
  tokenizeNormalized,
} from './tokenize.js';

export interface SchemeSignature {
  scheme: TextScheme;
  /** MinHash signature (MINHASH_SIZE slots). */
  signature: Uint32Array;
  /** Distinct shingles behind the signature (0 for an empty text). */
  shingleCount: number;
}

export interface TextFingerprint extends SchemeSignature {
  /** Index these: a stored work sharing any key with a new work is a candidate. */
  bandKeys: string[];
  /**
   * For mixed-script texts (no-space-script ratio in AMBIGUOUS_RATIO) the
   * other scheme's signature too, whose band keys are already in `bandKeys`,
   * so a lightly edited copy that flips scheme is still found.
   */
  alternate?: SchemeSignature;
}

function signatureFor(shingles: Uint32Array, scheme: TextScheme): SchemeSignature {
  return { scheme, signature: minhashSignature(shingles, MINHASH_SIZE), shingleCount: shingles.length };
}

/** Fingerprints one work for storage and candidate lookup. */
export function textFingerprint(text: string, lsh: LshParams = DEFAULT_LSH): TextFingerprint {
  const norm = normalizeText(text);
  const ratio = noSpaceScriptRatio(norm.text);
  const scheme = detectScheme(norm.text);
  const primary = signatureFor(shingleSet(tokenizeNormalized(norm, scheme)), scheme);
  const fp: TextFingerprint = { ...primary, bandKeys: lshBandKeys(primary.signature, scheme, lsh) };
  if (ratio >= AMBIGUOUS_RATIO[0] && ratio < AMBIGUOUS_RATIO[1]) {
    const other: TextScheme = scheme === 'word' ? 'char' : 'word';
    fp.alternate = signatureFor(shingleSet(tokenizeNormalized(norm, other)), other);
    fp.bandKeys.push(...lshBandKeys(fp.alternate.signature, other, lsh));
  }
  return fp;
}

/**
 * Estimated Jaccard of two stored fingerprints, under a scheme both carry;
 * 0 when they share none (then compare the texts with compareTexts()).
 */
export function estimateFingerprintJaccard(a: TextFingerprint, b: TextFingerprint): number {
  const sigs = (f: TextFingerprint): SchemeSignature[] => (f.alternate ? [f, f.alternate] : [f]);
  let best = 0;
  for (const x of sigs(a)) for (const y of sigs(b)) if (x.scheme === y.scheme) best = Math.max(best, estimateJaccard(x.signature, y.signature));
  return best;
}

export interface TextComparison {
  scheme: TextScheme;
  /** Exact Jaccard similarity of the two shingle sets. */
  jaccard: number;
  /** Share of A's shingles found in B (1 when A is an excerpt of B). */
  aInB: number;
  /** Share of B's shingles found in A. */
  bInA: number;
  /** Distinct shingles of A and of B. */
  shingles: [number, number];
}

function shinglesOfBoth(a: string, b: string): { scheme: TextScheme; sa: Uint32Array; sb: Uint32Array } {
  const na = normalizeText(a);
  const nb = normalizeText(b);
  const scheme = chooseScheme(detectScheme(na.text), detectScheme(nb.text));
  return { scheme, sa: shingleSet(tokenizeNormalized(na, scheme)), sb: shingleSet(tokenizeNormalized(nb, scheme)) };
}

/**
 * Containment of `a` in `b`: the share of a's shingles that also occur in b
 * (exact sets, one scheme for both). An excerpt of b scores ~1 however short
 * it is relative to b, which Jaccard cannot do. 0 for an empty `a`.
 */
export function containment(a: string, b: string): number {
  const { sa, sb } = shinglesOfBoth(a, b);
  return sa.length === 0 ? 0 : intersectionSize(sa, sb) / sa.length;
}

/** Exact similarity of two texts for verifying a candidate pair. */
export function compareTexts(a: string, b: string): TextComparison {
  const { scheme, sa, sb } = shinglesOfBoth(a, b);
  const common = intersectionSize(sa, sb);
  const union = sa.length + sb.length - common;
  return {
    scheme,
    jaccard: union === 0 ? 0 : common / union,
    aInB: sa.length === 0 ? 0 : common / sa.length,
    bInA: sb.length === 0 ? 0 : common / sb.length,
    shingles: [sa.length, sb.length],
  };
}

/**
 * Thresholds, chosen on the evaluation in eval/eval-text.ts (see README):
 * a pair matches when the shingle sets overlap by Jaccard ≥ 0.15, or when one
 * text (of at least 20 shingles, so a shared stock phrase in a one-line text
 * does not count) has ≥ 40% of its shingles inside the other.
 */
export const TEXT_THRESHOLDS = { jaccard: 0.15, containment: 0.4, minContainedShingles: 20 } as const;

export function isTextMatch(c: TextComparison): boolean {
  if (c.jaccard >= TEXT_THRESHOLDS.jaccard) return true;
  const [na, nb] = c.shingles;
  return (
    (na >= TEXT_THRESHOLDS.minContainedShingles && c.aInB >= TEXT_THRESHOLDS.containment) ||
    (nb >= TEXT_THRESHOLDS.minContainedShingles && c.bInA >= TEXT_THRESHOLDS.containment)
  );
}
