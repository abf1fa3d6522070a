// Whether a settlement's money went where its own record says it should: the
// hold and every transfer from the buyer's account, the fee its rate gives,
// and the net to its payees (a licence's licensors by share, an assignment's
// assignor) exactly as the split plans it. The totals per settlement are
// checked in SQL; this catches money that added up but reached the wrong
// party, or in the wrong parts.
import { settlementSplit } from '#money';

export interface SettlementPayments {
  settlementId: string;
  price: string;
  feeBp: number;
  fee: string;
  payees: Array<{ partyId: string; shareBp: number }>;
  /** The sale_proceeds transfers: who was credited, how much. */
  proceeds: Array<{ partyId: string; amount: string }>;
  paidByBuyer: boolean;
}

export interface PaymentProblem {
  settlementId: string;
  problems: string[];
  expectedPayouts?: string[];
  actualPayouts?: string[];
}

export function paymentProblem(settlement: SettlementPayments): PaymentProblem | undefined {
  const { settlementId } = settlement;
  const problems: string[] = [];
  if (!settlement.paidByBuyer) problems.push("money was held or moved from an account other than the buyer's");
  let split: ReturnType<typeof settlementSplit>;
  try {
    split = settlementSplit(BigInt(settlement.price), settlement.feeBp, settlement.payees.map((p) => ({ holder: p.partyId, basisPoints: p.shareBp })));
  } catch (error) {
    return { settlementId, problems: [...problems, `its payees cannot be split: ${(error as Error).message}`] };
  }
  if (split.fee !== BigInt(settlement.fee)) problems.push(`fee ${settlement.fee} recorded, ${split.fee} at ${settlement.feeBp} bp`);
  const expectedPayouts = split.payouts.filter((p) => p.amount > 0n).map((p) => `${p.holder}: ${p.amount}`).sort();
  const actualPayouts = settlement.proceeds.map((p) => `${p.partyId}: ${p.amount}`).sort();
  if (expectedPayouts.join('\n') !== actualPayouts.join('\n')) problems.push('the proceeds differ from the split of the net among the payees');
  return problems.length ? { settlementId, problems, expectedPayouts, actualPayouts } : undefined;
}
