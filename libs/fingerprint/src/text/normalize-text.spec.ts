import fc from 'fast-check';
import { normalizeText, toOriginalRange } from './normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['full-width, case, punctuation, spacing', '  Ｈｅｌｌｏ,   WORLD!!\n\tﬁne ', 'hello world fine'],
    ['apostrophes and hyphens join words', "Don't e-mail me", 'dont email me'],
    ['em and en dashes separate words', 'word—word–word', 'word word word'],
    ['symbols vanish', 'price: $5 + 10% © ®', 'price 5 10'],
    // NFKC runs first, so compatibility symbols that decompose to letters survive as letters.
    ['NFKC before symbol removal', '™ ① ㎏', 'tm 1 kg'],
    ['zero-width and soft hyphen vanish', 'pa\u200bss\u00adword\ufeff', 'password'],
    ['decomposed accents compose', 'cafe\u0301 CAFÉ', 'café café'],
    ['Chinese punctuation vanishes', '你好，世界。「引号」', '你好世界引号'],
    ['half-width katakana widen', 'ｶﾀｶﾅ', 'カタカナ'],
    ['only punctuation', '!!! ... ,,,', ''],
    ['empty', '', ''],
  ])('%s', (_label, input, expected) => {
    expect(normalizeText(input).text).toBe(expected);
  });

  it('maps a composed character back to its base and combining mark', () => {
    const n = normalizeText('xe\u0301y');
    expect(n.text).toBe('xéy');
    expect([n.starts[1], n.ends[1]]).toEqual([1, 3]);
    expect(toOriginalRange(n, 0, 3)).toEqual([0, 4]);
  });

  it('maps a word back to its original spelling', () => {
    const input = 'The  ＱＵＩＣＫ, brown fox.';
    const n = normalizeText(input);
    const at = n.text.indexOf('quick');
    const [s, e] = toOriginalRange(n, at, at + 5);
    expect(input.slice(s, e)).toBe('ＱＵＩＣＫ');
  });

  it('property: every output character comes from its mapped original range', () => {
    const pieces = fc.constantFrom('a', 'Z', ' ', '\n', ',', '—', '-', 'é', 'e\u0301', 'Ａ', '你', '。', 'ﬁ', '\u200b', '😀', '½', 'Σ', '1');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const input = parts.join('');
        const n = normalizeText(input);
        expect(n.starts.length).toBe(n.text.length);
        expect(n.text).toBe(n.text.trim());
        expect(n.text).not.toMatch(/ {2}|[\p{P}\p{S}]/u);
        for (let i = 0; i < n.text.length; i++) {
          expect(n.starts[i]).toBeGreaterThanOrEqual(i > 0 ? n.starts[i - 1]! : 0);
          expect(n.ends[i]).toBeGreaterThan(n.starts[i]!);
          expect(n.ends[i]).toBeLessThanOrEqual(input.length);
          const source = input.slice(n.starts[i], n.ends[i]);
          if (n.text[i] === ' ') expect(normalizeText(`a${source}b`).text).toBe('a b');
          else expect(normalizeText(source).text).toContain(n.text[i]);
        }
      }),
    );
  });

  it('property: normalising is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const once = normalizeText(s).text;
        expect(normalizeText(once).text).toBe(once);
      }),
    );
  });
});
