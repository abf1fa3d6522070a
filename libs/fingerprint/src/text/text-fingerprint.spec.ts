import { CHINESE, CHINESE_VOCAB, ENGLISH, ENGLISH_VOCAB } from '../../test-support/text-fixtures.js';
import { mulberry32 } from '../../test-support/prng.js';
import { excerpt, perturbLayout, reorderParagraphs, replaceWords } from '../../test-support/text-transforms.js';
import { compareTexts, containment, estimateFingerprintJaccard, isTextMatch, textFingerprint } from './text-fingerprint.js';

const shareKey = (a: string, b: string): boolean => {
  const keys = new Set(textFingerprint(a).bandKeys);
  return textFingerprint(b).bandKeys.some((k) => keys.has(k));
};

const corpora = [
  ['English', ENGLISH, ENGLISH_VOCAB],
  ['Chinese', CHINESE, CHINESE_VOCAB],
] as const;

describe.each(corpora)('%s copies', (_lang, texts, vocab) => {
  const transforms: Array<[string, (t: string, seed: number) => string]> = [
    ['20% of words replaced', (t, s) => replaceWords(t, 0.2, mulberry32(s), vocab)],
    ['paragraphs reordered', (t, s) => reorderParagraphs(t, mulberry32(s))],
    ['a 30% excerpt', (t, s) => excerpt(t, 0.3, mulberry32(s))],
    ['whitespace and punctuation changed', (t, s) => perturbLayout(t, mulberry32(s))],
  ];

  describe.each(transforms)('%s', (_name, transform) => {
    it.each(Object.keys(texts))('still matches and shares an LSH band key: %s', (key) => {
      const original = texts[key]!;
      const copy = transform(original, key.length * 7919);
      expect(copy).not.toBe(original);
      const cmp = compareTexts(copy, original);
      expect(isTextMatch(cmp)).toBe(true);
      expect(shareKey(copy, original)).toBe(true);
      expect(estimateFingerprintJaccard(textFingerprint(copy), textFingerprint(original))).toBeGreaterThan(0.1);
    });
  });

  it('an excerpt is almost entirely contained in its source', () => {
    for (const [key, t] of Object.entries(texts)) {
      const part = excerpt(t, 0.3, mulberry32(key.length));
      expect(containment(part, t)).toBeGreaterThan(0.95);
      expect(containment(t, part)).toBeLessThan(0.45);
    }
  });

  it('unrelated texts score low and share no band key', () => {
    const keys = Object.keys(texts);
    let pairs = 0;
    for (const x of keys) {
      for (const y of keys) {
        if (x >= y) continue;
        pairs++;
        const cmp = compareTexts(texts[x]!, texts[y]!);
        expect(cmp.jaccard).toBeLessThan(0.03);
        expect(Math.max(cmp.aInB, cmp.bInA)).toBeLessThan(0.06);
        expect(isTextMatch(cmp)).toBe(false);
        expect(shareKey(texts[x]!, texts[y]!)).toBe(false);
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(10);
  });
});

describe('textFingerprint', () => {
  it('is deterministic and has 64 band keys for a single-script text', () => {
    const a = textFingerprint(ENGLISH.garden!);
    expect(a.scheme).toBe('word');
    expect(a.bandKeys).toHaveLength(64);
    expect(a.alternate).toBeUndefined();
    expect(textFingerprint(ENGLISH.garden!)).toEqual(a);
    expect(textFingerprint(CHINESE.paper!).scheme).toBe('char');
  });

  it('carries both schemes for a bilingual text, so either half is found', () => {
    const bilingual = `${CHINESE.teahouse!}\n\n${ENGLISH.bread!}`;
    const fp = textFingerprint(bilingual);
    expect(fp.alternate).toBeDefined();
    expect(new Set([fp.scheme, fp.alternate!.scheme])).toEqual(new Set(['word', 'char']));
    expect(fp.bandKeys).toHaveLength(128);
    // The English half alone is tokenised per word, the Chinese half per character.
    const keys = new Set(fp.bandKeys);
    expect(textFingerprint(ENGLISH.bread!).bandKeys.some((k) => keys.has(k))).toBe(true);
    expect(textFingerprint(CHINESE.teahouse!).bandKeys.some((k) => keys.has(k))).toBe(true);
  });

  it('gives an empty text no band keys and no match', () => {
    expect(textFingerprint('  ,.;  ').bandKeys).toEqual([]);
    expect(isTextMatch(compareTexts('', ''))).toBe(false);
    expect(containment('', 'anything at all')).toBe(0);
  });

  it('does not count a shared stock phrase in a short text as containment', () => {
    const cmp = compareTexts('once upon a time there was', ENGLISH.lighthouse! + ' once upon a time there was');
    expect(cmp.aInB).toBe(1);
    expect(isTextMatch(cmp)).toBe(false);
  });
});
