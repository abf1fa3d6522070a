import fc from 'fast-check';
import { EMPTY_SLOT, MINHASH_SIZE, estimateJaccard, minhashSignature, signatureFromHex, signatureToHex } from './minhash.js';
import { DEFAULT_LSH, lshBandKeys, lshCatchProbability } from './lsh.js';

function range(from: number, to: number): Uint32Array {
  return Uint32Array.from({ length: to - from }, (_, i) => (i + from) * 2654435761);
}

describe('minhashSignature / estimateJaccard', () => {
  it('gives identical sets identical signatures', () => {
    const sig = minhashSignature(range(0, 500));
    expect(sig.length).toBe(MINHASH_SIZE);
    expect(estimateJaccard(sig, minhashSignature(range(0, 500).reverse()))).toBe(1);
  });

  it('property: estimates Jaccard within 4 standard errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 400 }), fc.integer({ min: 0, max: 400 }), (size, shift) => {
        const a = range(0, size);
        const b = range(shift, shift + size);
        const common = Math.max(0, size - shift);
        const exact = common / (2 * size - common);
        const est = estimateJaccard(minhashSignature(a), minhashSignature(b));
        expect(Math.abs(est - exact)).toBeLessThanOrEqual(4 * Math.sqrt(0.25 / MINHASH_SIZE));
      }),
      { numRuns: 40 },
    );
  });

  it('scores an empty set 0 and marks it empty', () => {
    const empty = minhashSignature(new Uint32Array(0));
    expect(empty.every((v) => v === EMPTY_SLOT)).toBe(true);
    expect(estimateJaccard(empty, empty)).toBe(0);
    expect(lshBandKeys(empty, 'word')).toEqual([]);
  });

  it('rejects signatures of different sizes', () => {
    expect(() => estimateJaccard(new Uint32Array(4), new Uint32Array(8))).toThrow(RangeError);
  });

  it('round-trips through hex', () => {
    const sig = minhashSignature(range(3, 90));
    const hex = signatureToHex(sig);
    expect(hex).toMatch(/^[0-9a-f]{1024}$/);
    expect(signatureFromHex(hex)).toEqual(sig);
    expect(() => signatureFromHex('xyz')).toThrow(RangeError);
  });
});

describe('lshBandKeys', () => {
  const sig = minhashSignature(range(0, 300));

  it('gives one 16-hex key per band, stable across calls', () => {
    const keys = lshBandKeys(sig, 'word');
    expect(keys).toHaveLength(DEFAULT_LSH.bands);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(lshBandKeys(sig, 'word')).toEqual(keys);
  });

  it('keeps schemes apart', () => {
    const word = new Set(lshBandKeys(sig, 'word'));
    expect(lshBandKeys(sig, 'char').some((k) => word.has(k))).toBe(false);
  });

  it('shares a key for sets with Jaccard 0.3 and none for disjoint sets', () => {
    // |A ∩ B| = 300, |A ∪ B| = 1000 → J = 0.3
    const a = minhashSignature(range(0, 650));
    const b = minhashSignature(range(350, 1000));
    const c = minhashSignature(range(5000, 5650));
    const keysA = new Set(lshBandKeys(a, 'word'));
    expect(lshBandKeys(b, 'word').some((k) => keysA.has(k))).toBe(true);
    expect(lshBandKeys(c, 'word').some((k) => keysA.has(k))).toBe(false);
  });

  it('catches J = 0.3 with probability ≥ 0.99 and J = 0.02 with < 0.03', () => {
    expect(lshCatchProbability(0.3)).toBeGreaterThan(0.99);
    expect(lshCatchProbability(0.02)).toBeLessThan(0.03);
  });

  it('refuses more bands than the signature holds', () => {
    expect(() => lshBandKeys(sig, 'word', { bands: 65, rows: 2 })).toThrow(RangeError);
  });
});
