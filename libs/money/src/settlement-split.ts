// Settlement of one sale: the exchange's fee first, then the net divided among
// the rights holders, with every fen of the price accounted for.

import { applyFee } from './apply-fee.js';
import { type Allocation, type Share, assertValidShares, splitByShares } from './split-by-shares.js';

export interface Settlement {
  /** Exchange commission, rounded half up (see apply-fee). */
  fee: bigint;
  /** price − fee; exactly the sum of `payouts`. */
  net: bigint;
  /** One entry per share, in input order, by largest remainder (see split-by-shares). */
  payouts: Allocation[];
}

/**
 * fee + Σ payouts === price, always. Shares are checked before the fee is
 * computed so that an invalid split never yields a half-built settlement.
 */
export function settlementSplit(price: bigint, feeBasisPoints: number, shares: readonly Share[]): Settlement {
  assertValidShares(shares);
  const { fee, net } = applyFee(price, feeBasisPoints);
  return { fee, net, payouts: splitByShares(net, shares) };
}
