// How a price is divided: the exchange fee first, then the net among the
// payees by basis-point share, exact to the fen (libs/money). Zero parts are
// dropped because a transfer always moves money.
import { settlementSplit } from '#money';
import type { TransferLine } from '../money/transfer-kind.js';

export interface Payee {
  partyId: string;
  accountId: string;
  shareBp: number;
}

export interface SettlementPlan {
  price: bigint;
  fee: bigint;
  net: bigint;
  payouts: Array<{ partyId: string; accountId: string; amount: bigint }>;
  /** Fee line first, then one line per payee with a non-zero part. */
  lines: TransferLine[];
}

/** `feeAccountId`: the exchange fee account this settlement credits (see system-accounts). */
export function planSettlement(price: bigint, feeBp: number, payees: readonly Payee[], feeAccountId: string): SettlementPlan {
  const split = settlementSplit(
    price,
    feeBp,
    payees.map((p) => ({ holder: p.partyId, basisPoints: p.shareBp })),
  );
  const payouts = payees.map((p, i) => ({ partyId: p.partyId, accountId: p.accountId, amount: split.payouts[i].amount }));
  const lines: TransferLine[] = [
    ...(split.fee > 0n ? [{ kind: 'exchange_fee' as const, creditAccountId: feeAccountId, amount: split.fee }] : []),
    ...payouts.filter((p) => p.amount > 0n).map((p) => ({ kind: 'sale_proceeds' as const, creditAccountId: p.accountId, amount: p.amount })),
  ];
  return { price, fee: split.fee, net: split.net, payouts, lines };
}
