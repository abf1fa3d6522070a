// A settlement as its parties see it: amounts, transfers, what was granted
// and the ledger proof.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerProofService } from '#platform';

@Injectable()
export class SettlementQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly proofs: LedgerProofService,
  ) {}

  async execute(id: string) {
    const [row] = await this.dataSource.query(
      `SELECT s.*, l.id AS licence_id, a.id AS assignment_id, a.assignor_id, a.assignee_id, a.share_bp,
              (SELECT json_agg(json_build_object('id', t.id::text, 'kind', t.kind, 'creditAccountId', t.credit_account_id, 'partyId', acc.party_id, 'amount', t.amount::text) ORDER BY t.id)
                 FROM transfers t JOIN accounts acc ON acc.id = t.credit_account_id WHERE t.settlement_id = s.id) AS transfers,
              (SELECT h.id FROM holds h WHERE h.settlement_id = s.id) AS hold_id
         FROM settlements s LEFT JOIN licences l ON l.settlement_id = s.id LEFT JOIN assignments a ON a.settlement_id = s.id
        WHERE s.id = $1`,
      [id],
    );
    if (!row) return undefined;
    const transfers: Array<{ id: string; kind: string; creditAccountId: string; partyId: string | null; amount: string }> = row.transfers ?? [];
    const proof = await this.proofs.forEntry(String(row.entry_id));
    return {
      id: row.id as string,
      kind: row.kind as string,
      listingId: row.listing_id as string,
      workId: row.work_id as string,
      buyerId: row.buyer_id as string,
      settledBy: row.settled_by as string | null,
      price: String(row.price),
      feeBp: row.fee_bp as number,
      fee: String(row.fee),
      holdId: row.hold_id as string,
      payees: transfers.filter((t) => t.kind === 'sale_proceeds').map((t) => t.partyId ?? ''),
      transfers,
      licenceId: row.licence_id as string | null,
      assignment: row.assignment_id ? { id: row.assignment_id, assignorId: row.assignor_id, assigneeId: row.assignee_id, shareBp: row.share_bp } : null,
      settledAt: (row.created_at as Date).toISOString(),
      ...(proof ? { ...proof, proofStatus: 'integrated' as const } : { ledgerIndex: null, proofStatus: 'pending' as const }),
    };
  }
}
