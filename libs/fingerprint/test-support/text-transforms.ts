// Edits that a copier makes to a text, for tests and the text evaluation:
// word/character substitution, paragraph reordering, excerpting, and
// whitespace/punctuation changes. All are deterministic given the Rng.

import { type Rng, randInt, shuffled } from './prng.js';

const RE_HAN = /\p{Script=Han}/u;

/** True when most letters are Han characters (then edits work per character). */
export function isMostlyHan(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return letters > 0 && han / letters >= 0.5;
}

/**
 * Replaces `fraction` of the words (or, in Han text, of the Han characters)
 * with random picks from `vocabulary` (words, or Han characters).
 */
export function replaceWords(text: string, fraction: number, rng: Rng, vocabulary: readonly string[]): string {
  if (isMostlyHan(text)) {
    const chars = Array.from(text);
    const han = chars.map((c, i) => (RE_HAN.test(c) ? i : -1)).filter((i) => i >= 0);
    for (const i of shuffled(rng, han).slice(0, Math.round(han.length * fraction))) chars[i] = vocabulary[randInt(rng, vocabulary.length)]!;
    return chars.join('');
  }
  const parts = text.split(/(\s+)/);
  const wordIdx = parts.map((p, i) => (/\p{L}/u.test(p) ? i : -1)).filter((i) => i >= 0);
  for (const i of shuffled(rng, wordIdx).slice(0, Math.round(wordIdx.length * fraction))) {
    // Keep the word's surrounding punctuation so only the word changes.
    parts[i] = parts[i]!.replace(/[\p{L}\p{N}'’]+/u, vocabulary[randInt(rng, vocabulary.length)]!);
  }
  return parts.join('');
}

/** Splits on blank lines (or single newlines when there are none) and shuffles the paragraphs into a new order. */
export function reorderParagraphs(text: string, rng: Rng): string {
  const sep = /\n\s*\n/.test(text) ? '\n\n' : '\n';
  const paras = text.split(sep === '\n\n' ? /\n\s*\n/ : /\n/).filter((p) => p.trim());
  if (paras.length < 2) return text;
  let order = shuffled(rng, paras);
  // A shuffle can come out unchanged; rotate so the order always differs.
  if (order.every((p, i) => p === paras[i])) order = [...paras.slice(1), paras[0]!];
  return order.join(sep);
}

/** A contiguous stretch of about `fraction` of the text, cut at whitespace in spaced text. */
export function excerpt(text: string, fraction: number, rng: Rng): string {
  const chars = Array.from(text);
  const len = Math.round(chars.length * fraction);
  let start = randInt(rng, chars.length - len + 1);
  let end = start + len;
  if (!isMostlyHan(text)) {
    while (start > 0 && !/\s/.test(chars[start - 1]!)) start--;
    while (end < chars.length && !/\s/.test(chars[end]!)) end++;
  }
  return chars.slice(start, end).join('').trim();
}

const FULL_WIDTH_PUNCT: Record<string, string> = { '，': ',', '。': '.', '；': ';', '：': ':', '！': '!', '？': '?', '“': '"', '”': '"' };

/**
 * Layout-only edits: whitespace runs become spaces, double spaces or
 * newlines; some punctuation is dropped, some spaced out, some added; Han
 * text gets ASCII punctuation and stray spaces between characters; some
 * Latin letters become full-width forms.
 */
export function perturbLayout(text: string, rng: Rng): string {
  let out = '';
  for (const ch of text) {
    const r = rng();
    if (/\s/.test(ch)) {
      out += r < 0.3 ? '  ' : r < 0.45 ? '\n' : r < 0.55 ? ' \t ' : r < 0.6 ? ' — ' : r < 0.65 ? ' ! ' : ' ';
    } else if (/\p{P}/u.test(ch)) {
      if (r < 0.3) continue; // dropped
      const p = FULL_WIDTH_PUNCT[ch] ?? ch;
      out += r < 0.5 ? ` ${p} ` : p;
    } else if (RE_HAN.test(ch)) {
      out += r < 0.1 ? `${ch} ` : r < 0.15 ? `${ch}，` : ch;
    } else if (/[a-z]/i.test(ch) && r < 0.05) {
      out += String.fromCharCode(ch.charCodeAt(0) + 0xfee0); // full-width Latin
    } else if (/[a-z]/.test(ch) && r < 0.1) {
      out += ch.toUpperCase();
    } else {
      out += ch;
    }
  }
  return out;
}
