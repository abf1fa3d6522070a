export type TransferKind = 'deposit' | 'payout' | 'sale_proceeds' | 'exchange_fee';

/** One leg of a posting: money from the debited account to the credited one. */
export interface TransferLine {
  kind: TransferKind;
  creditAccountId: string;
  amount: bigint;
}
