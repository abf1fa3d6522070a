// Reads accounts: balances and statements. Writes go through the money
// repositories inside use-case transactions.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toBookedTransfer, type BookedTransfer } from '../money/transfers.repository.js';

export interface AccountRow {
  id: string;
  kind: 'party' | 'settlement_bank' | 'exchange_fee';
  partyId: string | null;
  balance: string;
  held: string;
}

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async byParty(partyId: string): Promise<AccountRow | undefined> {
    return (await this.select('party_id = $1', [partyId]))[0];
  }

  async byId(accountId: string): Promise<AccountRow | undefined> {
    return (await this.select('id = $1', [accountId]))[0];
  }

  async pendingHolds(accountId: string): Promise<Array<{ id: string; amount: string; listingId: string | null; createdAt: string }>> {
    const rows: Array<{ id: string; amount: string; listing_id: string | null; created_at: Date }> = await this.dataSource.query(
      `SELECT id, amount, listing_id, created_at FROM holds WHERE account_id = $1 AND status = 'pending' ORDER BY created_at`,
      [accountId],
    );
    return rows.map((r) => ({ id: r.id, amount: String(r.amount), listingId: r.listing_id, createdAt: r.created_at.toISOString() }));
  }

  /** Transfers touching the account with id > afterId, oldest first. */
  async statement(accountId: string, afterId: string, limit: number): Promise<BookedTransfer[]> {
    const rows = await this.dataSource.query(
      `(SELECT * FROM transfers WHERE debit_account_id = $1 AND id > $2 ORDER BY id LIMIT $3)
       UNION ALL
       (SELECT * FROM transfers WHERE credit_account_id = $1 AND id > $2 ORDER BY id LIMIT $3)
       ORDER BY id LIMIT $3`,
      [accountId, afterId, limit],
    );
    return rows.map(toBookedTransfer);
  }

  private async select(where: string, params: unknown[]): Promise<AccountRow[]> {
    const rows: Array<{ id: string; kind: AccountRow['kind']; party_id: string | null; balance: string; held: string }> = await this.dataSource.query(
      `SELECT id, kind, party_id, balance, held FROM accounts WHERE ${where}`,
      params,
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, partyId: r.party_id, balance: String(r.balance), held: String(r.held) }));
  }
}
