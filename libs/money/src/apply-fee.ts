// Takes the exchange's commission out of a price, in whole fen.
//
// Rounding rule: the fee is rounded half up (四舍五入, the convention in PRC
// accounting): exact fee × 10 000 = price × bp; a fractional part of exactly
// one half or more rounds up. Amounts are non-negative, so "half up" and
// "half away from zero" coincide. net is then price − fee, so the two always
// add back to the price and no fen is created or lost.

import { BASIS_POINTS_DENOMINATOR, BASIS_POINTS_TOTAL, assertNonNegativeMinorUnits, isBasisPoints } from './basis-points.js';
import { MoneyError, MoneyErrorCode } from './money-error.js';

export interface FeeBreakdown {
  fee: bigint;
  net: bigint;
}

/**
 * Splits `price` into the exchange fee at `feeBasisPoints` (integer 0..10 000)
 * and the net remaining for rights holders. Throws `MoneyError` FEE_INVALID
 * for a bad rate, INVALID_AMOUNT for a negative or non-bigint price.
 */
export function applyFee(price: bigint, feeBasisPoints: number): FeeBreakdown {
  assertNonNegativeMinorUnits(price, 'price');
  if (!isBasisPoints(feeBasisPoints)) {
    throw new MoneyError(MoneyErrorCode.FEE_INVALID, `feeBasisPoints must be an integer between 0 and ${BASIS_POINTS_TOTAL}`);
  }
  // Adding half the denominator before the floor division is half-up for
  // non-negative operands. With bp ≤ 10 000 the fee can never exceed the price.
  const fee = (price * BigInt(feeBasisPoints) + BASIS_POINTS_DENOMINATOR / 2n) / BASIS_POINTS_DENOMINATOR;
  return { fee, net: price - fee };
}
