// A deposit or payout booked by the exchange role.
export interface MoneyMovementCommand {
  partyId: string;
  amount: bigint;
  externalRef: string;
  memo?: string;
}
