// Public API of the money library: exact integer-fen arithmetic for prices,
// exchange fees and rights-holder payouts.

export { MoneyError, MoneyErrorCode } from './money-error.js';
export { BASIS_POINTS_TOTAL } from './basis-points.js';
export { MAX_AMOUNT_FEN, parseAmount, type ParseAmountOptions } from './parse-amount.js';
export { splitByShares, type Allocation, type Share } from './split-by-shares.js';
export { applyFee, type FeeBreakdown } from './apply-fee.js';
export { settlementSplit, type Settlement } from './settlement-split.js';
