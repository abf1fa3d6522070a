// Divides an amount of minor units among rights holders by their basis-point
// shares so that the parts add up to the total exactly, to the fen.
//
// Rounding rule (largest remainder / Hamilton method):
//   1. Each holder's exact entitlement is total × bp / 10 000. Everyone first
//      gets the floor of it.
//   2. The fen left over (fewer than the number of holders with a fractional
//      entitlement) go one each to the holders with the largest fractional
//      remainders.
//   3. Equal remainders are ordered by the larger share first, then by holder
//      id ascending in UTF-16 code-unit order (plain `<`, never locale
//      collation, so every server agrees).
// Consequences: parts sum to the total; every part is the floor or the
// ceiling of its exact value (so within 1 fen of it); a 0 bp holder always
// gets 0 because its remainder is 0 and leftovers never reach remainder-0
// holders; the result does not depend on the order shares are listed in.

import { BASIS_POINTS_DENOMINATOR, BASIS_POINTS_TOTAL, assertNonNegativeMinorUnits, isBasisPoints } from './basis-points.js';
import { MoneyError, MoneyErrorCode } from './money-error.js';

export interface Share {
  holder: string;
  basisPoints: number;
}

export interface Allocation {
  holder: string;
  amount: bigint;
}

/**
 * Splits `total` minor units by `shares` (integer basis points summing to
 * exactly 10 000, unique non-empty holder ids). Returns one allocation per
 * share, in input order. Throws `MoneyError` SHARES_INVALID for bad shares and
 * INVALID_AMOUNT for a negative or non-bigint total.
 */
export function splitByShares(total: bigint, shares: readonly Share[]): Allocation[] {
  assertNonNegativeMinorUnits(total, 'total');
  assertValidShares(shares);

  const work = shares.map((share, index) => {
    const scaled = total * BigInt(share.basisPoints);
    return {
      index,
      holder: share.holder,
      basisPoints: share.basisPoints,
      amount: scaled / BASIS_POINTS_DENOMINATOR,
      remainder: scaled % BASIS_POINTS_DENOMINATOR,
    };
  });

  let leftover = total;
  for (const part of work) leftover -= part.amount;

  const byPriority = [...work].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    if (a.basisPoints !== b.basisPoints) return b.basisPoints - a.basisPoints;
    return a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0;
  });
  // leftover < count of non-zero remainders (each remainder < 10 000 and they
  // sum to leftover × 10 000), so this loop never reaches a 0-remainder holder.
  for (let i = 0; leftover > 0n; i++, leftover--) {
    byPriority[i].amount += 1n;
  }

  return work.map(({ holder, amount }) => ({ holder, amount }));
}

/** Shared with settlement so that a bad share list is rejected before any fee is taken. */
export function assertValidShares(shares: readonly Share[]): void {
  if (!Array.isArray(shares) || shares.length === 0) {
    throw sharesInvalid('shares must be a non-empty array');
  }
  const seen = new Set<string>();
  let sum = 0;
  for (const [i, share] of shares.entries()) {
    if (share === null || typeof share !== 'object') {
      throw sharesInvalid(`shares[${i}] must be an object`);
    }
    if (typeof share.holder !== 'string' || share.holder.length === 0) {
      throw sharesInvalid(`shares[${i}].holder must be a non-empty string`);
    }
    // A duplicated holder would make the tie-break order ambiguous and the
    // caller's intent (merge? typo?) unknowable.
    if (seen.has(share.holder)) {
      throw sharesInvalid(`shares[${i}].holder "${share.holder}" appears more than once`);
    }
    seen.add(share.holder);
    if (!isBasisPoints(share.basisPoints)) {
      throw sharesInvalid(`shares[${i}].basisPoints must be an integer between 0 and ${BASIS_POINTS_TOTAL}`);
    }
    sum += share.basisPoints;
  }
  if (sum !== BASIS_POINTS_TOTAL) {
    throw sharesInvalid(`shares must sum to exactly ${BASIS_POINTS_TOTAL} basis points, got ${sum}`);
  }
}

function sharesInvalid(message: string): MoneyError {
  return new MoneyError(MoneyErrorCode.SHARES_INVALID, message);
}
