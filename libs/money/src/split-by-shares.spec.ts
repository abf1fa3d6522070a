import fc from 'fast-check';
import { MoneyError, MoneyErrorCode } from './money-error.js';
import { type Share, splitByShares } from './split-by-shares.js';

function amounts(total: bigint, shares: Share[]): Record<string, bigint> {
  return Object.fromEntries(splitByShares(total, shares).map((a) => [a.holder, a.amount]));
}

function expectCode(fn: () => unknown, code: MoneyErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyError);
  expect((caught as MoneyError).code).toBe(code);
}

// Unique holders plus basis points summing to 10 000: cut [0, 10 000] at
// n − 1 random points; equal cut points give zero shares, which must be covered.
const sharesArb: fc.Arbitrary<Share[]> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 })
  .chain((holders) =>
    fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: holders.length - 1, maxLength: holders.length - 1 })
      .map((cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
        return holders.map((holder, i) => ({ holder, basisPoints: points[i + 1] - points[i] }));
      }),
  );

const totalArb = fc.bigInt({ min: 0n, max: 10n ** 15n });

describe('splitByShares: hand-checked fixtures', () => {
  it('splits evenly divisible totals exactly', () => {
    expect(
      splitByShares(10_000n, [
        { holder: 'a', basisPoints: 5000 },
        { holder: 'b', basisPoints: 3000 },
        { holder: 'c', basisPoints: 2000 },
      ]),
    ).toEqual([
      { holder: 'a', amount: 5000n },
      { holder: 'b', amount: 3000n },
      { holder: 'c', amount: 2000n },
    ]);
  });

  it('gives the leftover fen to the largest remainder', () => {
    // exact: a 6.65, b 2.85, c 0.5 → floors 6, 2, 0 (sum 8); the 2 fen left
    // go to b (.85) and a (.65), not c (.5). Result 7, 3, 0.
    expect(
      amounts(10n, [
        { holder: 'a', basisPoints: 6650 },
        { holder: 'b', basisPoints: 2850 },
        { holder: 'c', basisPoints: 500 },
      ]),
    ).toEqual({ a: 7n, b: 3n, c: 0n });
  });

  it('ranks leftover fen by remainder before anything else', () => {
    // 1 fen at 3333/3333/3334 → remainders 3333, 3333, 3334 → z.
    expect(amounts(1n, [{ holder: 'x', basisPoints: 3333 }, { holder: 'y', basisPoints: 3333 }, { holder: 'z', basisPoints: 3334 }])).toEqual({
      x: 0n,
      y: 0n,
      z: 1n,
    });
    // 3 fen at 3333/3333/3334 → exact 0.9999, 0.9999, 1.0002 → floors 0, 0, 1;
    // the two leftover fen go to the .9999 remainders, not to the largest share.
    expect(amounts(3n, [{ holder: 'x', basisPoints: 3333 }, { holder: 'y', basisPoints: 3333 }, { holder: 'z', basisPoints: 3334 }])).toEqual({
      x: 1n,
      y: 1n,
      z: 1n,
    });
  });

  it('breaks equal remainders by the larger share', () => {
    // 2 fen at 7500/2500 → exact 1.5, 0.5 → floors 1, 0; remainders tie at .5;
    // the larger share (a) wins even though "b" is listed first: 2, 0.
    expect(amounts(2n, [{ holder: 'b', basisPoints: 2500 }, { holder: 'a', basisPoints: 7500 }])).toEqual({ a: 2n, b: 0n });
    // Same with holder ids reversed, so the id order cannot be what decided it.
    expect(amounts(2n, [{ holder: 'a', basisPoints: 2500 }, { holder: 'b', basisPoints: 7500 }])).toEqual({ a: 0n, b: 2n });
  });

  it('breaks ties of remainder and share by holder id, not by input order', () => {
    // 1 fen, two equal halves → remainder tie, share tie → "alice" < "bob".
    const forward = amounts(1n, [{ holder: 'bob', basisPoints: 5000 }, { holder: 'alice', basisPoints: 5000 }]);
    expect(forward).toEqual({ alice: 1n, bob: 0n });
    // Code-unit order, not locale: "Z" (0x5A) sorts before "a" (0x61).
    expect(amounts(1n, [{ holder: 'a', basisPoints: 5000 }, { holder: 'Z', basisPoints: 5000 }])).toEqual({ a: 0n, Z: 1n });
  });

  it('never pays a zero-share holder', () => {
    expect(amounts(1n, [{ holder: 'a', basisPoints: 0 }, { holder: 'b', basisPoints: 10_000 }])).toEqual({ a: 0n, b: 1n });
    expect(amounts(7n, [{ holder: 'a', basisPoints: 0 }, { holder: 'b', basisPoints: 5000 }, { holder: 'c', basisPoints: 5000 }])).toEqual({
      a: 0n,
      b: 4n,
      c: 3n,
    });
  });

  it('splits a zero total into zeros and a sole holder takes all', () => {
    expect(amounts(0n, [{ holder: 'a', basisPoints: 1 }, { holder: 'b', basisPoints: 9999 }])).toEqual({ a: 0n, b: 0n });
    expect(splitByShares(123_456_789n, [{ holder: 'only', basisPoints: 10_000 }])).toEqual([{ holder: 'only', amount: 123_456_789n }]);
  });

  it('stays exact at the 10^15 ceiling, beyond float precision', () => {
    // 10^15 + 7 fen at 1 bp / 9999 bp: exact 100000000000.0007 and 999900000000006.9993
    // → floors 100000000000 and 999900000000006; 1 fen left → the .9993 remainder.
    expect(amounts(10n ** 15n + 7n, [{ holder: 'a', basisPoints: 1 }, { holder: 'b', basisPoints: 9999 }])).toEqual({
      a: 100_000_000_000n,
      b: 999_900_000_000_007n,
    });
  });
});

describe('splitByShares: validation', () => {
  it.each([
    ['empty list', []],
    ['sum below 10 000', [{ holder: 'a', basisPoints: 9999 }]],
    ['sum above 10 000', [{ holder: 'a', basisPoints: 5000 }, { holder: 'b', basisPoints: 5001 }]],
    ['fractional basis points', [{ holder: 'a', basisPoints: 5000.5 }, { holder: 'b', basisPoints: 4999.5 }]],
    ['negative basis points', [{ holder: 'a', basisPoints: -1 }, { holder: 'b', basisPoints: 10_001 }]],
    ['duplicate holder', [{ holder: 'a', basisPoints: 5000 }, { holder: 'a', basisPoints: 5000 }]],
    ['empty holder id', [{ holder: '', basisPoints: 10_000 }]],
    ['string basis points', [{ holder: 'a', basisPoints: '10000' }]],
    ['null entry', [null]],
  ])('rejects %s with SHARES_INVALID', (_label, shares) => {
    expectCode(() => splitByShares(100n, shares as Share[]), MoneyErrorCode.SHARES_INVALID);
  });

  it('rejects a negative or non-bigint total with INVALID_AMOUNT', () => {
    const shares = [{ holder: 'a', basisPoints: 10_000 }];
    expectCode(() => splitByShares(-1n, shares), MoneyErrorCode.INVALID_AMOUNT);
    expectCode(() => splitByShares(100 as unknown as bigint, shares), MoneyErrorCode.INVALID_AMOUNT);
  });
});

describe('splitByShares: properties', () => {
  it('parts sum to the total, none negative, each within 1 fen of exact, zero share gets zero', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const parts = splitByShares(total, shares);
        expect(parts.map((p) => p.holder)).toEqual(shares.map((s) => s.holder));
        expect(parts.reduce((sum, p) => sum + p.amount, 0n)).toBe(total);
        parts.forEach((part, i) => {
          const bp = BigInt(shares[i].basisPoints);
          expect(part.amount >= 0n).toBe(true);
          // |amount − total·bp/10 000| < 1  ⇔  |amount·10 000 − total·bp| < 10 000
          const diff = part.amount * 10_000n - total * bp;
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
          if (bp === 0n) expect(part.amount).toBe(0n);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('is the largest-remainder allocation: no un-rounded-up holder outranks a rounded-up one', () => {
    fc.assert(
      fc.property(totalArb, sharesArb, (total, shares) => {
        const parts = splitByShares(total, shares);
        const ranked = shares.map((s, i) => {
          const scaled = total * BigInt(s.basisPoints);
          return { ...s, remainder: scaled % 10_000n, roundedUp: parts[i].amount > scaled / 10_000n };
        });
        const outranks = (a: (typeof ranked)[number], b: (typeof ranked)[number]): boolean =>
          a.remainder !== b.remainder
            ? a.remainder > b.remainder
            : a.basisPoints !== b.basisPoints
              ? a.basisPoints > b.basisPoints
              : a.holder < b.holder;
        for (const up of ranked.filter((r) => r.roundedUp)) {
          for (const down of ranked.filter((r) => !r.roundedUp)) {
            expect(outranks(down, up)).toBe(false);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(
        totalArb,
        sharesArb.chain((shares) => fc.tuple(fc.constant(shares), fc.shuffledSubarray(shares, { minLength: shares.length }))),
        (total, [shares, shuffled]) => {
          const first = amounts(total, shares);
          expect(amounts(total, shares)).toEqual(first);
          expect(amounts(total, shuffled)).toEqual(first);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
