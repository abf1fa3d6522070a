// Passage matching: which stretches of work A reappear in work B, as ranges
// of the ORIGINAL texts, for an enforcement officer to read side by side.
//
// Method: winnow both texts (winnow.ts); every selected hash that occurs in
// both is a seed. A seed is verified token by token (hash collisions are
// dropped) and extended left and right while tokens keep matching, giving a
// maximal exact run. Runs are then assigned one-to-one (longest first, so a
// phrase repeated in B is credited once), and runs that follow each other in
// the same order in both texts, separated by at most `maxGap` unmatched
// tokens, are merged into one passage. That turns a paragraph with a few
// substituted words into one passage instead of a dozen fragments.

import { normalizeText } from './normalize-text.js';
import { type TextScheme, type TokenSequence, chooseScheme, detectScheme, tokenizeNormalized } from './tokenize.js';
import { WINNOW_PARAMS, type WinnowParams, winnowTokens } from './winnow.js';

export interface Passage {
  /** Offsets in the original text A: A.slice(aStart, aEnd) is the passage. */
  aStart: number;
  aEnd: number;
  /** Offsets in the original text B. */
  bStart: number;
  bEnd: number;
  /** Tokens (words, or characters for the 'char' scheme) of A inside exactly matching runs. */
  length: number;
}

export interface PassageOptions {
  /** Forces a tokenisation scheme; by default the one both texts call for (chooseScheme). */
  scheme?: TextScheme;
  params?: WinnowParams;
  /** Largest run of unmatched tokens, in either text, bridged inside one passage. Default 2k. */
  maxGap?: number;
  /** Smallest passage reported, in matched tokens. Default w + k − 1 (the winnowing guarantee). */
  minLength?: number;
  /**
   * A selected hash occurring more often than this in B is boilerplate
   * (repeated refrains, headers) and seeds nothing; bounds the work on
   * highly repetitive texts. Default 32.
   */
  maxOccurrences?: number;
}

interface Run {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

function sameToken(a: TokenSequence, i: number, b: TokenSequence, j: number): boolean {
  return a.hashes[i] === b.hashes[j] && a.tokens[i] === b.tokens[j];
}

function findRuns(a: TokenSequence, b: TokenSequence, params: WinnowParams, maxOccurrences: number): Run[] {
  const wa = winnowTokens(a, params);
  const wb = winnowTokens(b, params);
  const inB = new Map<number, number[]>();
  for (let i = 0; i < wb.hashes.length; i++) {
    const list = inB.get(wb.hashes[i]!);
    if (list) list.push(wb.positions[i]!);
    else inB.set(wb.hashes[i]!, [wb.positions[i]!]);
  }

  const runs: Run[] = [];
  // Runs found so far per diagonal (bStart − aStart), so seeds inside an
  // already extended run are skipped instead of re-extended (keeps identical
  // texts linear rather than quadratic).
  const byDiagonal = new Map<number, Run[]>();
  for (let s = 0; s < wa.hashes.length; s++) {
    const targets = inB.get(wa.hashes[s]!);
    if (!targets || targets.length > maxOccurrences) continue;
    const i = wa.positions[s]!;
    for (const j of targets) {
      const diagonal = j - i;
      const known = byDiagonal.get(diagonal);
      if (known?.some((r) => r.a0 <= i && i < r.a1)) continue;
      let ok = true;
      for (let t = 0; t < params.k && ok; t++) ok = sameToken(a, i + t, b, j + t);
      if (!ok) continue;
      let a0 = i;
      let b0 = j;
      while (a0 > 0 && b0 > 0 && sameToken(a, a0 - 1, b, b0 - 1)) {
        a0--;
        b0--;
      }
      let a1 = i + params.k;
      let b1 = j + params.k;
      while (a1 < a.hashes.length && b1 < b.hashes.length && sameToken(a, a1, b, b1)) {
        a1++;
        b1++;
      }
      const run = { a0, a1, b0, b1 };
      runs.push(run);
      if (known) known.push(run);
      else byDiagonal.set(diagonal, [run]);
    }
  }
  return runs;
}

/** Keeps the longest runs first; a later run keeps only its longest stretch not already credited in A or B. */
function assignOneToOne(runs: Run[], aLen: number, bLen: number, minRun: number): Run[] {
  const usedA = new Uint8Array(aLen);
  const usedB = new Uint8Array(bLen);
  const accepted: Run[] = [];
  runs.sort((x, y) => y.a1 - y.a0 - (x.a1 - x.a0) || x.a0 - y.a0);
  for (const r of runs) {
    let bestStart = -1;
    let bestLen = 0;
    let curStart = -1;
    for (let t = 0; t <= r.a1 - r.a0; t++) {
      const free = t < r.a1 - r.a0 && !usedA[r.a0 + t] && !usedB[r.b0 + t];
      if (free && curStart < 0) curStart = t;
      if (!free && curStart >= 0) {
        if (t - curStart > bestLen) {
          bestLen = t - curStart;
          bestStart = curStart;
        }
        curStart = -1;
      }
    }
    if (bestLen < minRun) continue;
    const run = { a0: r.a0 + bestStart, a1: r.a0 + bestStart + bestLen, b0: r.b0 + bestStart, b1: r.b0 + bestStart + bestLen };
    usedA.fill(1, run.a0, run.a1);
    usedB.fill(1, run.b0, run.b1);
    accepted.push(run);
  }
  return accepted;
}

interface Merged extends Run {
  matched: number;
}

function mergeRuns(runs: Run[], maxGap: number): Merged[] {
  runs.sort((x, y) => x.a0 - y.a0 || x.b0 - y.b0);
  const passages: Merged[] = [];
  for (const r of runs) {
    // Passages are open-ended in A order; look back over the recent ones,
    // since a reordered paragraph may sit between two halves of another.
    let target: Merged | undefined;
    for (let p = passages.length - 1; p >= 0 && p >= passages.length - 64; p--) {
      const c = passages[p]!;
      const gapA = r.a0 - c.a1;
      const gapB = r.b0 - c.b1;
      if (gapA >= 0 && gapA <= maxGap && gapB >= 0 && gapB <= maxGap) {
        target = c;
        break;
      }
    }
    if (target) {
      target.a1 = r.a1;
      target.b1 = r.b1;
      target.matched += r.a1 - r.a0;
    } else {
      passages.push({ ...r, matched: r.a1 - r.a0 });
    }
  }
  return passages;
}

/**
 * Passages of `a` that reappear in `b`, in ORIGINAL offsets of both, sorted
 * by position in `a`. Exact for verbatim copies; for edited copies a passage
 * spans the edited stretch and `length` counts only the matching tokens.
 */
export function matchPassages(a: string, b: string, options: PassageOptions = {}): Passage[] {
  const na = normalizeText(a);
  const nb = normalizeText(b);
  const scheme = options.scheme ?? chooseScheme(detectScheme(na.text), detectScheme(nb.text));
  const params = options.params ?? WINNOW_PARAMS[scheme];
  const maxGap = options.maxGap ?? 2 * params.k;
  const minLength = options.minLength ?? params.w + params.k - 1;
  const sa = tokenizeNormalized(na, scheme);
  const sb = tokenizeNormalized(nb, scheme);

  const runs = assignOneToOne(findRuns(sa, sb, params, options.maxOccurrences ?? 32), sa.hashes.length, sb.hashes.length, params.k);
  return mergeRuns(runs, maxGap)
    .filter((p) => p.matched >= minLength)
    .map((p) => ({
      aStart: sa.starts[p.a0]!,
      aEnd: sa.ends[p.a1 - 1]!,
      bStart: sb.starts[p.b0]!,
      bEnd: sb.ends[p.b1 - 1]!,
      length: p.matched,
    }));
}
