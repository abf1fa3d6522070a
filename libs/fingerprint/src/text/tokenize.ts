// Splits normalised text into the tokens that shingles and winnowing run over,
// and picks the tokenisation scheme from the script mix.
//
// Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces
// between words. Word segmentation would need a dictionary/model per language
// and would segment a copy differently from the original whenever the copy's
// wording changed nearby, so instead such text is tokenised per character
// ('char' scheme; whitespace dropped, since spacing in these scripts is
// layout, not content). Space-separated languages (Latin, Cyrillic, Greek,
// Arabic, Hangul, ...) are tokenised per word ('word' scheme), because
// character n-grams of English are far less discriminating (the same 5-letter
// runs occur in every English text).
//
// The scheme is chosen per text from the share of letters/digits that belong
// to a no-space script: >= 0.5 → 'char'. Two texts can only be compared
// under one scheme; see chooseScheme().

import { hashString32 } from './hash32.js';
import { type NormalizedText, normalizeText } from './normalize-text.js';

export type TextScheme = 'word' | 'char';

/** Token sequence of one text, with each token's range in the ORIGINAL text. */
export interface TokenSequence {
  readonly scheme: TextScheme;
  readonly norm: NormalizedText;
  /** Token strings (normalised). */
  readonly tokens: readonly string[];
  /** 32-bit hash of each token. */
  readonly hashes: Uint32Array;
  /** Original offset where each token starts. */
  readonly starts: Int32Array;
  /** Original offset just past each token. */
  readonly ends: Int32Array;
}

const RE_NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/gu;
const RE_LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;

/** Share of letters and digits in `normalized` that belong to scripts written without spaces (0..1). */
export function noSpaceScriptRatio(normalized: string): number {
  const letters = normalized.match(RE_LETTER_OR_DIGIT)?.length ?? 0;
  if (letters === 0) return 0;
  const cjk = normalized.match(RE_NO_SPACE_SCRIPT)?.length ?? 0;
  return cjk / letters;
}

/** Ratio at or above which a text is tokenised per character. */
export const CHAR_SCHEME_RATIO = 0.5;
/**
 * Texts whose ratio falls in [low, high) could flip scheme after light
 * editing (e.g. a bilingual text losing its English half), so their
 * fingerprint carries band keys for both schemes.
 */
export const AMBIGUOUS_RATIO: readonly [number, number] = [0.2, 0.8];

export function detectScheme(normalized: string): TextScheme {
  return noSpaceScriptRatio(normalized) >= CHAR_SCHEME_RATIO ? 'char' : 'word';
}

/**
 * One scheme for comparing two texts: if they disagree, 'char', because
 * per-character tokens still work (less sharply) for space-separated text,
 * whereas per-word tokens of Chinese are whole sentences.
 */
export function chooseScheme(a: TextScheme, b: TextScheme): TextScheme {
  return a === b ? a : 'char';
}

/** Tokenises already normalised text under `scheme`. */
export function tokenizeNormalized(norm: NormalizedText, scheme: TextScheme): TokenSequence {
  const text = norm.text;
  const tokens: string[] = [];
  const s: number[] = [];
  const e: number[] = [];
  if (scheme === 'word') {
    let i = 0;
    while (i < text.length) {
      let j = text.indexOf(' ', i);
      if (j < 0) j = text.length;
      if (j > i) {
        tokens.push(text.slice(i, j));
        s.push(norm.starts[i]!);
        e.push(norm.ends[j - 1]!);
      }
      i = j + 1;
    }
  } else {
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      if (cp !== 0x20) {
        tokens.push(text.slice(i, i + len));
        s.push(norm.starts[i]!);
        e.push(norm.ends[i + len - 1]!);
      }
      i += len;
    }
  }
  const hashes = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) hashes[i] = hashString32(tokens[i]!);
  return { scheme, norm, tokens, hashes, starts: Int32Array.from(s), ends: Int32Array.from(e) };
}

/** Normalises and tokenises `text`; the scheme defaults to the one its script mix calls for. */
export function tokenize(text: string, scheme?: TextScheme): TokenSequence {
  const norm = normalizeText(text);
  return tokenizeNormalized(norm, scheme ?? detectScheme(norm.text));
}
