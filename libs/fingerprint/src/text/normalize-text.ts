// Text normalisation for fingerprinting, keeping a map back to the original.
//
// Two copies of a work should fingerprint alike when they differ only in
// Unicode form (full-width ＡＢＣ vs ABC, ligatures, composed vs decomposed
// accents), case, punctuation, symbols or spacing. Infringement evidence must
// quote the ORIGINAL text, so every normalised UTF-16 code unit remembers the
// original range [start, end) it came from.
//
// Choices (why):
// - NFKC, then toLowerCase: NFKC folds compatibility forms (full-width Latin,
//   half-width katakana, ﬁ → fi, ① → 1) that copy-pasting through different
//   editors produces; lowercasing after NFKC catches letters NFKC produced.
// - NFKC is applied per cluster (a code point plus its combining marks), not
//   to the whole string, so each output character has an exact source range.
//   This matches whole-string NFKC except for conjoining Hangul jamo
//   sequences (rare: modern Korean text is precomposed) and Greek final sigma
//   (Σ always lowercases to σ here, which is the better fold anyway).
// - Punctuation (\p{P}) and symbols (\p{S}) are deleted without leaving a
//   space, so "don't" → "dont" and "e-mail" → "email" match "dont"/"email".
//   Dashes other than the hyphen (em/en dash, \p{Pd}) usually separate words
//   ("word—word"), so they become whitespace instead.
// - Format controls (\p{Cf}: zero-width space/joiner, BOM, soft hyphen) are
//   deleted: invisible, and a cheap way to defeat naive matching.
// - Any run of whitespace, separators (\p{Z}) and other controls becomes one
//   ASCII space; leading and trailing space is dropped.

export interface NormalizedText {
  /** The normalised text: lowercase, no punctuation or symbols, single spaces. */
  readonly text: string;
  /** For each UTF-16 code unit of `text`, the original offset where its source starts. */
  readonly starts: Int32Array;
  /** For each UTF-16 code unit of `text`, the original offset just past its source. */
  readonly ends: Int32Array;
}

const enum Kind {
  Keep,
  Space,
  Drop,
}

const RE_SPACE = /^[\s\p{Z}\p{Cc}]$/u;
const RE_DASH_SEPARATOR = /^\p{Pd}$/u;
const RE_DROP = /^[\p{P}\p{S}\p{Cf}]$/u;
const RE_MARK = /^\p{M}$/u;
// Hyphen-minus, hyphen and non-breaking hyphen join words ("e-mail"); all
// other dashes separate them.
const JOINING_HYPHENS = new Set(['-', '\u2010', '\u2011']);

function classify(ch: string): Kind {
  if (RE_SPACE.test(ch)) return Kind.Space;
  if (RE_DASH_SEPARATOR.test(ch) && !JOINING_HYPHENS.has(ch)) return Kind.Space;
  if (RE_DROP.test(ch)) return Kind.Drop;
  return Kind.Keep;
}

// ASCII is the bulk of most texts: classify it once instead of running the
// Unicode regexes per character.
const ASCII_KIND: Kind[] = Array.from({ length: 128 }, (_, c) => classify(String.fromCharCode(c)));

function isCombiningMark(code: number, s: string, i: number): boolean {
  // Every combining mark is at or above U+0300; skip the regex below that.
  if (code < 0x300) return false;
  const cp = s.codePointAt(i)!;
  return RE_MARK.test(String.fromCodePoint(cp));
}

/** Normalises `input` (see the module comment) and maps every output code unit back to `input`. */
export function normalizeText(input: string): NormalizedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let pendingSpace = false;
  let spaceStart = 0;
  let spaceEnd = 0;

  const emit = (chunk: string, start: number, end: number): void => {
    if (pendingSpace && out.length > 0) {
      out.push(' ');
      starts.push(spaceStart);
      ends.push(spaceEnd);
    }
    pendingSpace = false;
    out.push(chunk);
    for (let k = 0; k < chunk.length; k++) {
      starts.push(start);
      ends.push(end);
    }
  };
  const space = (start: number, end: number): void => {
    if (!pendingSpace) {
      pendingSpace = true;
      spaceStart = start;
      spaceEnd = end;
    }
  };

  let i = 0;
  const n = input.length;
  while (i < n) {
    const code = input.charCodeAt(i);
    // Cluster = one code point plus the combining marks that follow it.
    let j = i + (code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1);
    while (j < n && isCombiningMark(input.charCodeAt(j), input, j)) {
      j += input.codePointAt(j)! > 0xffff ? 2 : 1;
    }

    if (code < 128 && j === i + 1) {
      const kind = ASCII_KIND[code]!;
      if (kind === Kind.Keep) {
        emit(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : input[i]!, i, j);
      } else if (kind === Kind.Space) {
        space(i, j);
      }
      i = j;
      continue;
    }

    const folded = input.slice(i, j).normalize('NFKC').toLowerCase();
    // NFKC can expand one cluster to several characters ("½" → "1⁄2"), each
    // classified on its own; all of them map to the same original range.
    let keep = '';
    for (const ch of folded) {
      const kind = ch.length === 1 && ch.charCodeAt(0) < 128 ? ASCII_KIND[ch.charCodeAt(0)]! : classify(ch);
      if (kind === Kind.Keep) {
        keep += ch;
      } else {
        if (keep) emit(keep, i, j);
        keep = '';
        if (kind === Kind.Space) space(i, j);
      }
    }
    if (keep) emit(keep, i, j);
    i = j;
  }

  return { text: out.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * Maps the normalised range [start, end) back to the original text: the
 * returned [start, end) covers every original character that produced it.
 */
export function toOriginalRange(norm: NormalizedText, start: number, end: number): [number, number] {
  if (end <= start) {
    const at = start < norm.starts.length ? norm.starts[start]! : norm.ends.length ? norm.ends[norm.ends.length - 1]! : 0;
    return [at, at];
  }
  return [norm.starts[start]!, norm.ends[end - 1]!];
}
