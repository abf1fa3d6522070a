// The answer to a purchase or a deal settlement: what was bought, how the
// money moved, and where the ledger proof is.
import type { EntryProof } from '#platform';
import type { LicenceView } from '../licences/licence-view.js';
import { assignmentMetadata, type Assignment } from './ledger-entries.js';
import type { SettlementPlan } from './settlement-plan.js';

export interface SettlementView {
  settlement: {
    id: string;
    kind: 'licence' | 'assignment';
    listingId: string;
    workId: string;
    buyerId: string;
    settledBy: string | null;
    price: string;
    feeBp: number;
    fee: string;
    payouts: Array<{ partyId: string; amount: string }>;
    holdId: string;
    /** The transfers out of the buyer's account (their ids are in GET /v1/settlements/:id). */
    transfers: Array<{ kind: string; creditAccountId: string; amount: string }>;
    settledAt: string;
  };
  licence: LicenceView | null;
  assignment: (Omit<Assignment, 'settlementId'> & { assignedAt: string; ledgerMetadata: Record<string, unknown> }) | null;
  ledger: (EntryProof & { proofStatus: 'integrated' }) | { proofStatus: 'pending'; proofUrl: string };
}

export interface SettlementBase {
  id: string;
  kind: 'licence' | 'assignment';
  listingId: string;
  workId: string;
  buyerId: string;
  settledBy: string | null;
  feeBp: number;
  holdId: string;
}

export function settlementSummary(
  base: SettlementBase & { settledAt: Date },
  plan: SettlementPlan,
): SettlementView['settlement'] {
  return {
    id: base.id,
    kind: base.kind,
    listingId: base.listingId,
    workId: base.workId,
    buyerId: base.buyerId,
    settledBy: base.settledBy,
    price: plan.price.toString(),
    feeBp: base.feeBp,
    fee: plan.fee.toString(),
    payouts: plan.payouts.map((p) => ({ partyId: p.partyId, amount: p.amount.toString() })),
    holdId: base.holdId,
    transfers: plan.lines.map((t) => ({ kind: t.kind, creditAccountId: t.creditAccountId, amount: t.amount.toString() })),
    settledAt: base.settledAt.toISOString(),
  };
}

export function assignmentView(assignment: Assignment, assignedAt: Date): NonNullable<SettlementView['assignment']> {
  const { settlementId: _settlementId, ...rest } = assignment;
  return { ...rest, assignedAt: assignedAt.toISOString(), ledgerMetadata: assignmentMetadata(assignment) };
}
