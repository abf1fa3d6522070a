// Turns a verified candidate pair into what a report shows and an officer
// reads: the scores, and the matched passages (with offsets into both texts
// and the text itself) or the matched image regions. The evidence object is
// stored as it is, and its canonical SHA-256 is what a confirmation commits
// to on the ledger.
import {
  compareImages,
  compareTexts,
  IMAGE_THRESHOLDS,
  imageScore,
  isImageMatch,
  thresholdOf,
  checkRegion,
  alignPair,
  nearGridPair,
  type PreparedImage,
  type RegionPair,
  isTextMatch,
  matchPassages,
  TEXT_THRESHOLDS,
  type ImageFingerprint,
} from '#fingerprint';
import { GLOBAL_SLOT, slotWindow } from './image-index.js';

/** Version of the detection as a whole (fingerprints, thresholds, evidence shape). */
export const DETECTION_ALGORITHM =
  'cl-detect/3 (minhash-lsh 64x2 + winnowing; phash-64 global/mirror/46 regions; thresholds text J>=0.15|C>=0.4, image d<=12, d<=10 for 90% windows and centre pairs, grid near misses d<=16 re-aligned on the pixels to d<=8, region matches confirmed by quadrants <=28)';

const MAX_PASSAGES = 100;
const MAX_EXCERPT = 400;

export interface TextEvidence {
  method: 'text';
  scheme: string;
  jaccard: number;
  /** Share of the original's shingles found in the suspect, and the reverse. */
  originalInSuspect: number;
  suspectInOriginal: number;
  shingles: { original: number; suspect: number };
  thresholds: typeof TEXT_THRESHOLDS;
  /** Offsets are UTF-16 code units into the extracted texts named by their SHA-256. */
  texts: { originalSha256: string; suspectSha256: string; originalChars: number; suspectChars: number };
  passages: Array<{ original: { start: number; end: number; text: string }; suspect: { start: number; end: number; text: string }; matchedTokens: number }>;
  passagesOmitted: number;
  matchedTokens: number;
}

export interface ImageEvidence {
  method: 'image';
  /** global: whole images; mirror: one is the other flipped; region: a crop, a frame or a rotation. */
  match: 'global' | 'mirror' | 'region';
  distance: number;
  bits: 64;
  /** The threshold that applied to this match (its method and kind of region pair). */
  threshold?: number;
  thresholds: typeof IMAGE_THRESHOLDS;
  /** Which windows matched, as fractions of each (border-trimmed) image. */
  regions: Array<{ original: EvidenceWindow; suspect: EvidenceWindow; distance: number }>;
  /** A re-aligned match: the grid pair it started from (the windows in `regions` are where alignment ended). */
  alignedFrom?: { original: EvidenceWindow; suspect: EvidenceWindow; distance: number };
  /** Region matches: the quadrants of both windows compared from the pixels (absent when a side's pixels are not stored). */
  check?: { distance: number; quadrants: number; threshold: number };
  sizes: { original: { width: number; height: number }; suspect: { width: number; height: number } };
  hashes: { original: { global: string; mirrored: string }; suspect: { global: string; mirrored: string } };
}

type EvidenceWindow = ReturnType<typeof slotWindow>;

export interface ExactEvidence {
  method: 'sha256';
  sha256: string;
}

export type SimilarityEvidence = TextEvidence | ImageEvidence | ExactEvidence;

export interface Scored<E extends SimilarityEvidence> {
  matched: boolean;
  score: number;
  scores: Record<string, number | string>;
  evidence: E;
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** NUL and unpaired UTF-16 surrogates: PostgreSQL jsonb cannot hold the first, canonical JSON (the evidence hash) refuses the second. */
const NOT_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A passage as evidence can hold it: at most MAX_EXCERPT UTF-16 units, never
 * cut inside a surrogate pair, NUL and unpaired surrogates (from the
 * extracted text) as U+FFFD, one unit for one, so offsets still line up. A
 * cut through a character beyond the BMP (an emoji, a rare CJK character)
 * used to fail the whole match job, and with it every other report of the scan.
 */
export function excerpt(text: string): string {
  const clean = text.replace(NOT_STORABLE, '\uFFFD');
  if (clean.length <= MAX_EXCERPT) return clean;
  const end = /[\uD800-\uDBFF]/.test(clean[MAX_EXCERPT - 1]!) ? MAX_EXCERPT - 1 : MAX_EXCERPT;
  return `${clean.slice(0, end)}…`;
}

/**
 * Compares the original's text with the suspect's (both as extracted), and
 * builds the evidence. `folded*` are the same texts with Chinese variants
 * folded (same offsets); comparison runs on them, excerpts come from the
 * originals.
 */
export function textSimilarity(
  original: { text: string; folded: string; sha256: string },
  suspect: { text: string; folded: string; sha256: string },
): Scored<TextEvidence> {
  const c = compareTexts(original.folded, suspect.folded);
  const matched = isTextMatch(c);
  const contained = [c.shingles[0] >= TEXT_THRESHOLDS.minContainedShingles ? c.aInB : 0, c.shingles[1] >= TEXT_THRESHOLDS.minContainedShingles ? c.bInA : 0];
  const score = r4(Math.min(1, Math.max(c.jaccard, ...contained)));
  const all = matched ? matchPassages(original.folded, suspect.folded) : [];
  const passages = all.slice(0, MAX_PASSAGES).map((p) => ({
    original: { start: p.aStart, end: p.aEnd, text: excerpt(original.text.slice(p.aStart, p.aEnd)) },
    suspect: { start: p.bStart, end: p.bEnd, text: excerpt(suspect.text.slice(p.bStart, p.bEnd)) },
    matchedTokens: p.length,
  }));
  return {
    matched,
    score,
    scores: { jaccard: r4(c.jaccard), originalInSuspect: r4(c.aInB), suspectInOriginal: r4(c.bInA) },
    evidence: {
      method: 'text',
      scheme: c.scheme,
      jaccard: r4(c.jaccard),
      originalInSuspect: r4(c.aInB),
      suspectInOriginal: r4(c.bInA),
      shingles: { original: c.shingles[0], suspect: c.shingles[1] },
      thresholds: TEXT_THRESHOLDS,
      texts: { originalSha256: original.sha256, suspectSha256: suspect.sha256, originalChars: original.text.length, suspectChars: suspect.text.length },
      passages,
      passagesOmitted: Math.max(0, all.length - MAX_PASSAGES),
      matchedTokens: all.reduce((n, p) => n + p.length, 0),
    },
  };
}

type ImagePixels = { original: PreparedImage; suspect: PreparedImage };

/**
 * `pixels`, when both images are at hand, confirms a region match with
 * checkRegion (the quadrants of both windows): a coincidence of one window
 * hash between unrelated images does not survive it. They also settle a
 * near miss of a whole image and a grid window (a crop between two windows
 * of the grid) by re-aligning the window (alignPair).
 */
export function imageSimilarity(original: ImageFingerprint, suspect: ImageFingerprint, pixels?: ImagePixels): Scored<ImageEvidence> {
  const c = compareImages(original, suspect);
  const checked = pixels && c.method === 'region' && c.regions ? checkRegion(pixels.original, c.regions[0]!.a, pixels.suspect, c.regions[0]!.b) : undefined;
  const matched = isImageMatch(c) && !refutes(checked);
  const near = pixels && !matched ? nearGridPair(original, suspect) : undefined;
  if (near) return alignedSimilarity(original, suspect, pixels!, near);
  const threshold = thresholdOf(c);
  const pairs = c.regions ?? [{ a: GLOBAL_SLOT, b: GLOBAL_SLOT, distance: c.distance }];
  return {
    matched,
    score: r4(c.score),
    scores: { distance: c.distance, method: c.method },
    evidence: {
      ...imageEvidence(original, suspect, c.method, c.distance, threshold),
      regions: pairs.map((p) => ({ original: slotWindow(p.a), suspect: slotWindow(p.b), distance: p.distance })),
      ...(checked ? { check: { distance: checked.distance, quadrants: checked.compared, threshold: IMAGE_THRESHOLDS.check } } : {}),
    },
  };
}

/**
 * Whether imageSimilarity() needs both images' pixels to decide this pair,
 * given its result without them: to confirm a region match, or to re-align
 * a near miss. The worker reads and decodes stored images only then. (With
 * the pixels, a refuted region match is re-aligned too when it is a near miss.)
 */
export function needsPixels(original: ImageFingerprint, suspect: ImageFingerprint, first: Scored<ImageEvidence>): boolean {
  return first.matched ? first.evidence.match === 'region' : nearGridPair(original, suspect) !== undefined;
}

// No usable quadrant on one side: nothing to refute the window match with.
const refutes = (check: { distance: number; compared: number } | undefined): boolean => check !== undefined && check.compared > 0 && check.distance > IMAGE_THRESHOLDS.check;

function alignedSimilarity(original: ImageFingerprint, suspect: ImageFingerprint, pixels: ImagePixels, near: RegionPair): Scored<ImageEvidence> {
  const aligned = alignPair({ image: pixels.original, fingerprint: original }, { image: pixels.suspect, fingerprint: suspect }, near);
  const threshold = IMAGE_THRESHOLDS.aligned;
  return {
    matched: aligned.distance <= threshold && !refutes(aligned.check),
    score: r4(imageScore(aligned.distance)),
    scores: { distance: aligned.distance, method: 'region' },
    evidence: {
      ...imageEvidence(original, suspect, 'region', aligned.distance, threshold),
      regions: [{ original: alignedWindow(aligned.windowA), suspect: alignedWindow(aligned.windowB), distance: aligned.distance }],
      alignedFrom: { original: slotWindow(near.a), suspect: slotWindow(near.b), distance: near.distance },
      check: { distance: aligned.check.distance, quadrants: aligned.check.compared, threshold: IMAGE_THRESHOLDS.check },
    },
  };
}

function imageEvidence(original: ImageFingerprint, suspect: ImageFingerprint, match: ImageEvidence['match'], distance: number, threshold: number) {
  return {
    method: 'image' as const,
    match,
    distance,
    threshold,
    bits: 64 as const,
    thresholds: IMAGE_THRESHOLDS,
    sizes: { original: { width: original.width, height: original.height }, suspect: { width: suspect.width, height: suspect.height } },
    hashes: { original: { global: original.global, mirrored: original.mirrored }, suspect: { global: suspect.global, mirrored: suspect.mirrored } },
  };
}

const alignedWindow = (w: { x: number; y: number; w: number; h: number }): EvidenceWindow =>
  w.w >= 1 && w.h >= 1 ? slotWindow(GLOBAL_SLOT) : { x: r4(w.x), y: r4(w.y), w: r4(w.w), h: r4(w.h), angle: 0, kind: 'aligned' };

export function exactSimilarity(sha256: string): Scored<ExactEvidence> {
  return { matched: true, score: 1, scores: { sha256: 'identical' }, evidence: { method: 'sha256', sha256 } };
}
