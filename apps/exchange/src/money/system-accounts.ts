// The accounts that belong to no party, created by the exchange migration
// with these fixed ids: money entering or leaving the exchange passes through
// the settlement bank; commissions collect in the exchange fee accounts.
//
// Fee income is spread over 16 accounts, each settlement crediting one chosen
// by its id: every settlement credits a fee account and holds its row lock
// until commit, so a single fee account would serialise all settlements.
// The exchange's fee income is the sum of the 16.
export const SETTLEMENT_BANK_ACCOUNT = '00000000-0000-4000-8000-00000000b001';

export const EXCHANGE_FEE_ACCOUNTS: readonly string[] = Object.freeze(
  Array.from({ length: 16 }, (_, i) => `00000000-0000-4000-8000-00000000f0${i.toString(16).padStart(2, '0')}`),
);

/** The fee account a settlement credits: spread by the (random) settlement id. */
export function feeAccountFor(settlementId: string): string {
  return EXCHANGE_FEE_ACCOUNTS[parseInt(settlementId.slice(0, 2), 16) % EXCHANGE_FEE_ACCOUNTS.length];
}
