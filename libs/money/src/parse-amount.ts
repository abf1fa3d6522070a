// Boundary parser for money amounts arriving from outside (HTTP bodies, CSV,
// DB text): turns them into integer minor units or rejects them.
//
// Why bigint minor units (fen): floats cannot represent most decimal fractions
// (0.1 + 0.2 !== 0.3), and even integer-valued `number`s silently lose
// precision above 2^53, which intermediate products such as amount × basis
// points reach long before amounts themselves do. bigint is exact at any size,
// and fen (0.01 CNY) is the smallest unit the exchange settles in.

import { MoneyError, MoneyErrorCode } from './money-error.js';

/**
 * Default ceiling: 10^15 fen = 10 trillion CNY. No single licence or
 * assignment legitimately approaches it, so anything above is treated as a
 * typo or an attack rather than a price.
 */
export const MAX_AMOUNT_FEN = 10n ** 15n;

export interface ParseAmountOptions {
  /** Inclusive upper bound in minor units; defaults to {@link MAX_AMOUNT_FEN}. */
  max?: bigint;
}

// Canonical decimal only: no sign, no whitespace, no exponent, no fraction,
// and no leading zeros, so one amount has exactly one accepted spelling.
const DECIMAL_INTEGER = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses a non-negative amount of minor units.
 *
 * Accepts a non-negative safe-integer `number`, a canonical decimal-integer
 * string, or a non-negative `bigint` (so already-parsed values can be
 * re-checked against the ceiling). Everything else — floats, negatives, NaN,
 * Infinity, "1e3", " 12", "+5", "007", "12.00", values above `max` — throws
 * `MoneyError` with code INVALID_AMOUNT.
 */
export function parseAmount(input: unknown, options: ParseAmountOptions = {}): bigint {
  const max = options.max ?? MAX_AMOUNT_FEN;
  if (typeof max !== 'bigint' || max < 0n) {
    // A misconfigured ceiling is a programming error, but failing closed with
    // the same code keeps callers' error handling to one branch.
    throw new MoneyError(MoneyErrorCode.INVALID_AMOUNT, 'amount ceiling must be a non-negative bigint');
  }

  let value: bigint;
  if (typeof input === 'number') {
    // Number.isSafeInteger rejects NaN, ±Infinity, fractions and anything past
    // 2^53 - 1, where the number may already differ from what the client sent.
    if (!Number.isSafeInteger(input) || input < 0) {
      throw invalid('amount must be a non-negative integer number of minor units');
    }
    value = BigInt(input);
  } else if (typeof input === 'string') {
    // Length check first: BigInt() on a multi-megabyte digit string is slow,
    // and any string longer than the ceiling's digits is over it anyway.
    if (input.length > max.toString().length || !DECIMAL_INTEGER.test(input)) {
      throw invalid('amount must be a decimal integer string of minor units within range');
    }
    value = BigInt(input);
  } else if (typeof input === 'bigint') {
    value = input;
  } else {
    throw invalid('amount must be a number or a decimal integer string');
  }

  if (value < 0n) {
    throw invalid('amount must not be negative');
  }
  if (value > max) {
    throw invalid(`amount exceeds the maximum of ${max} minor units`);
  }
  return value;
}

function invalid(message: string): MoneyError {
  return new MoneyError(MoneyErrorCode.INVALID_AMOUNT, message);
}
