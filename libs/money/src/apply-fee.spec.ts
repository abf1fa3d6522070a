import fc from 'fast-check';
import { applyFee } from './apply-fee.js';
import { MoneyError, MoneyErrorCode } from './money-error.js';

describe('applyFee', () => {
  it.each([
    // price, bp, fee, net — exact fee in comment
    [10_000n, 250, 250n, 9750n], // 250
    [199n, 500, 10n, 189n], // 9.95 → 10
    [10n, 500, 1n, 9n], // 0.5 → 1 (half rounds up)
    [30n, 500, 2n, 28n], // 1.5 → 2
    [9n, 500, 0n, 9n], // 0.45 → 0
    [1n, 4999, 0n, 1n], // 0.4999 → 0
    [1n, 5000, 1n, 0n], // 0.5 → 1
    [0n, 3000, 0n, 0n],
    [12_345n, 0, 0n, 12_345n],
    [12_345n, 10_000, 12_345n, 0n],
    [10n ** 15n, 1, 100_000_000_000n, 999_900_000_000_000n],
  ])('price %p at %p bp → fee %p, net %p', (price, bp, fee, net) => {
    expect(applyFee(price, bp)).toEqual({ fee, net });
  });

  it.each([
    ['negative rate', -1],
    ['rate over 100%', 10_001],
    ['fractional rate', 2.5],
    ['NaN rate', Number.NaN],
  ])('rejects a %s with FEE_INVALID', (_label, bp) => {
    expect(() => applyFee(100n, bp)).toThrow(expect.objectContaining({ code: MoneyErrorCode.FEE_INVALID }));
  });

  it('rejects a negative price with INVALID_AMOUNT', () => {
    expect(() => applyFee(-1n, 100)).toThrow(MoneyError);
    expect(() => applyFee(-1n, 100)).toThrow(expect.objectContaining({ code: MoneyErrorCode.INVALID_AMOUNT }));
  });

  it('fee + net = price, fee is the half-up rounding of the exact fee', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10_000 }), (price, bp) => {
        const { fee, net } = applyFee(price, bp);
        expect(fee + net).toBe(price);
        expect(fee >= 0n && net >= 0n).toBe(true);
        // fee − exact ∈ (−½, ½]: an exact half goes up, never down.
        const diff = fee * 10_000n - price * BigInt(bp);
        expect(diff > -5_000n && diff <= 5_000n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
