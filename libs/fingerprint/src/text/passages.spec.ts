import fc from 'fast-check';
import { CHINESE, CHINESE_VOCAB, ENGLISH, ENGLISH_VOCAB } from '../../test-support/text-fixtures.js';
import { mulberry32 } from '../../test-support/prng.js';
import { perturbLayout, reorderParagraphs, replaceWords } from '../../test-support/text-transforms.js';
import { normalizeText } from './normalize-text.js';
import { type Passage, matchPassages } from './passages.js';
import { tokenize } from './tokenize.js';

const paragraphs = (t: string): string[] => t.split(/\n\s*\n/);
const norm = (s: string): string => normalizeText(s).text;
const sliceA = (a: string, p: Passage): string => a.slice(p.aStart, p.aEnd);
const sliceB = (b: string, p: Passage): string => b.slice(p.bStart, p.bEnd);

describe('matchPassages', () => {
  it('finds a verbatim paragraph with exact offsets in both texts', () => {
    const source = ENGLISH.bread!;
    const copied = paragraphs(source)[2]!;
    const host = paragraphs(ENGLISH.chess!);
    // Inserted last: a maximal run may legitimately run on into a following
    // word that both texts happen to share ("The ..."), which would blur the
    // exact-offset check.
    const b = [host[0], host[1], host[2], copied].join('\n\n');
    const passages = matchPassages(source, b);
    expect(passages).toHaveLength(1);
    const p = passages[0]!;
    expect(sliceA(source, p)).toBe(sliceB(b, p));
    expect(norm(sliceA(source, p))).toBe(norm(copied));
    expect(p.aStart).toBe(source.indexOf(copied));
    expect(p.bStart).toBe(b.indexOf(copied));
    expect(p.length).toBe(tokenize(copied).tokens.length);
  });

  it('maps a copy with changed layout back to the same content', () => {
    const a = ENGLISH.lighthouse!;
    const b = perturbLayout(a, mulberry32(7));
    const passages = matchPassages(a, b);
    expect(passages.length).toBeGreaterThanOrEqual(1);
    for (const p of passages) expect(norm(sliceA(a, p))).toBe(norm(sliceB(b, p)));
    const matched = passages.reduce((s, p) => s + p.length, 0);
    expect(matched).toBeGreaterThan(0.9 * tokenize(a).tokens.length);
  });

  it('finds a Chinese paragraph inside another Chinese text', () => {
    const source = CHINESE.rice!;
    const copied = paragraphs(source)[1]!;
    const b = `${CHINESE.paper!}\n\n${copied.replace(/，/g, ', ')}`;
    const passages = matchPassages(source, b);
    expect(passages).toHaveLength(1);
    const p = passages[0]!;
    // Per-character scheme: spacing between Han characters is not content.
    const han = (x: string): string => norm(x).replace(/ /g, '');
    expect(han(sliceA(source, p))).toBe(han(copied));
    expect(han(sliceB(b, p))).toBe(han(copied));
  });

  it('reports each reordered paragraph as its own passage', () => {
    const a = ENGLISH.river!;
    const b = reorderParagraphs(a, mulberry32(3));
    const passages = matchPassages(a, b);
    expect(passages).toHaveLength(paragraphs(a).length);
    for (const p of passages) expect(sliceA(a, p)).toBe(sliceB(b, p));
  });

  it('bridges substituted words into passages covering most of the text', () => {
    for (const [a, vocab] of [
      [ENGLISH.orbit!, ENGLISH_VOCAB],
      [CHINESE.bridge!, CHINESE_VOCAB],
    ] as const) {
      const b = replaceWords(a, 0.2, mulberry32(11), vocab);
      const passages = matchPassages(a, b);
      const covered = passages.reduce((s, p) => s + (p.aEnd - p.aStart), 0);
      expect(covered).toBeGreaterThan(0.6 * a.length);
      for (const p of passages) {
        expect(p.aEnd).toBeGreaterThan(p.aStart);
        expect(p.bEnd).toBeGreaterThan(p.bStart);
      }
    }
  });

  it('finds nothing between unrelated texts', () => {
    const keys = Object.keys(ENGLISH);
    for (const x of keys) for (const y of keys) if (x < y) expect(matchPassages(ENGLISH[x]!, ENGLISH[y]!)).toEqual([]);
    expect(matchPassages(CHINESE.teahouse!, CHINESE.starlight!)).toEqual([]);
  });

  it('property: a shared run of 8+ words is found in both texts', () => {
    const words = 'amber basalt cedar dune ember fjord glacier heath isle jungle kelp lagoon marsh'.split(' ');
    const filler = fc.array(fc.constantFrom(...words), { maxLength: 25 });
    fc.assert(
      fc.property(filler, filler, filler, fc.array(fc.constantFrom(...ENGLISH_VOCAB), { minLength: 8, maxLength: 20 }), (pa, pb, tail, shared) => {
        const a = [...pa, ...shared, ...tail].join(' ');
        const b = `${pb.join(', ')}. ${shared.join('  ').toUpperCase()}!`;
        const hit = matchPassages(a, b).find((p) => norm(sliceA(a, p)).includes(shared.join(' ')));
        expect(hit).toBeDefined();
        expect(norm(sliceB(b, hit!))).toContain(shared.join(' '));
      }),
      { numRuns: 150 },
    );
  });
});
