import fc from 'fast-check';
import { normalizeText } from './normalize-text.js';
import { tokenize } from './tokenize.js';
import { WINNOW_PARAMS, winnow, winnowTokens } from './winnow.js';
import { ENGLISH } from '../../test-support/text-fixtures.js';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike'.split(' ');

describe('winnow', () => {
  it('points each fingerprint at the k words it hashes, in original offsets', () => {
    const text = ENGLISH.chess!;
    const prints = winnow(text);
    expect(prints.length).toBeGreaterThan(10);
    for (const p of prints) {
      expect(normalizeText(text.slice(p.offset, p.end)).text.split(' ')).toHaveLength(WINNOW_PARAMS.word.k);
    }
    // offsets strictly increase: each position is recorded once
    for (let i = 1; i < prints.length; i++) expect(prints[i]!.offset).toBeGreaterThan(prints[i - 1]!.offset);
  });

  it('keeps at most ~2/(w+1) of the positions', () => {
    const seq = tokenize(ENGLISH.river!);
    const { k, w } = WINNOW_PARAMS.word;
    const grams = seq.hashes.length - k + 1;
    const selected = winnowTokens(seq).hashes.length;
    expect(selected).toBeLessThanOrEqual(Math.ceil((2 / (w + 1)) * grams * 1.3));
    expect(selected).toBeGreaterThanOrEqual(Math.floor(grams / w));
  });

  it('has no fingerprints for a text shorter than k tokens, one for exactly k', () => {
    expect(winnow('one two three four')).toEqual([]);
    expect(winnow('one two three four five')).toHaveLength(1);
  });

  it('property: any shared run of w + k − 1 words gives a common fingerprint', () => {
    const { k, w } = WINNOW_PARAMS.word;
    const words = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 30 });
    fc.assert(
      fc.property(words, words, fc.array(fc.constantFrom(...WORDS), { minLength: w + k - 1, maxLength: w + k + 5 }), words, (pa, pb, shared, sa) => {
        const a = [...pa, ...shared, ...sa].join(' ');
        const b = [...pb, ...shared].join(' ');
        const hashesB = new Set(winnow(b).map((p) => p.hash));
        expect(winnow(a).some((p) => hashesB.has(p.hash))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
