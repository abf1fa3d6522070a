// Basis points: the one unit used for every ratio (fees, ownership shares), so
// that ratios are exact integers and never floats.

import { MoneyError, MoneyErrorCode } from './money-error.js';

/** 100% expressed in basis points. */
export const BASIS_POINTS_TOTAL = 10_000;

/** The same 100%, as the divisor for bigint arithmetic on minor units. */
export const BASIS_POINTS_DENOMINATOR = 10_000n;

/** True for an integer in [0, 10 000]; anything else is a ratio outside 0..100%. */
export function isBasisPoints(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= BASIS_POINTS_TOTAL;
}

/**
 * Amounts handed to the arithmetic functions are typed `bigint`, but plain-JS
 * callers or casts can still pass numbers or negatives; failing loudly here
 * keeps a bad value from turning into a silently wrong payout.
 */
export function assertNonNegativeMinorUnits(value: unknown, what: string): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n) {
    throw new MoneyError(MoneyErrorCode.INVALID_AMOUNT, `${what} must be a non-negative bigint of minor units`);
  }
}
