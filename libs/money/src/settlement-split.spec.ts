import fc from 'fast-check';
import { MoneyErrorCode } from './money-error.js';
import { settlementSplit } from './settlement-split.js';
import type { Share } from './split-by-shares.js';

describe('settlementSplit', () => {
  it('takes the fee then splits the net (hand-checked)', () => {
    // price 100.01 CNY = 10 001 fen, 5% fee → 500.05 → 500; net 9 501.
    // 60/40 of 9 501 → 5 700.6 / 3 800.4 → floors 5 700 + 3 800, 1 left to .6.
    expect(
      settlementSplit(10_001n, 500, [
        { holder: 'author', basisPoints: 6000 },
        { holder: 'publisher', basisPoints: 4000 },
      ]),
    ).toEqual({
      fee: 500n,
      net: 9501n,
      payouts: [
        { holder: 'author', amount: 5701n },
        { holder: 'publisher', amount: 3800n },
      ],
    });
  });

  it('rejects invalid shares before computing anything', () => {
    expect(() => settlementSplit(100n, 100, [{ holder: 'a', basisPoints: 9000 }])).toThrow(
      expect.objectContaining({ code: MoneyErrorCode.SHARES_INVALID }),
    );
  });

  it('fee + Σ payouts = price for any price, rate and shares', () => {
    const sharesArb: fc.Arbitrary<Share[]> = fc.integer({ min: 1, max: 20 }).chain((n) =>
      fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
        return Array.from({ length: n }, (_, i) => ({ holder: `h${i}`, basisPoints: points[i + 1] - points[i] }));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10_000 }), sharesArb, (price, bp, shares) => {
        const { fee, net, payouts } = settlementSplit(price, bp, shares);
        const paid = payouts.reduce((sum, p) => sum + p.amount, 0n);
        expect(paid).toBe(net);
        expect(fee + paid).toBe(price);
        expect(payouts.every((p) => p.amount >= 0n)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
