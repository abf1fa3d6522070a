// Two-phase holds on a party's money. place() reserves (held += amount, only
// if that much is available); post() turns the reservation into transfers to
// the payees; a refused purchase leaves a voided hold as its only trace. The
// database refuses any other transition (trigger holds_resolve_once) and any
// overdraft (CHECK accounts_no_overdraft). A licence purchase does the same
// place-then-post inside the database function exchange_settle_licence()
// (migration settle-licence-function), to settle in one round trip.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '#errors';
import type { IdempotencyClaim } from '#platform';
import { fen } from './amount.js';
import type { TransferLine } from './transfer-kind.js';

export interface PlacedHold {
  id: string;
  accountId: string;
  amount: bigint;
}

export interface PostedTransfer {
  id: string;
  kind: string;
  creditAccountId: string;
  amount: bigint;
}

@Injectable()
export class HoldsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async place(manager: EntityManager, hold: { id: string; partyId: string; amount: bigint; listingId: string; settlementId: string }): Promise<PlacedHold> {
    const rows: Array<{ account_id: string }> = await manager.query(
      `WITH reserved AS (
         UPDATE accounts SET held = held + $3 WHERE party_id = $2 AND balance - held >= $3 RETURNING id
       )
       INSERT INTO holds (id, account_id, amount, listing_id, settlement_id)
       SELECT $1, reserved.id, $3, $4, $5 FROM reserved
       RETURNING account_id`,
      [hold.id, hold.partyId, fen(hold.amount), hold.listingId, hold.settlementId],
    );
    if (rows.length === 0) {
      const [account]: Array<{ available: string }> = await manager.query('SELECT balance - held AS available FROM accounts WHERE party_id = $1', [hold.partyId]);
      throw new AppError(ErrorCode.InsufficientFunds, `The buyer's available balance is ${account?.available ?? '0'} fen; ${hold.amount} fen are needed.`, {
        available: account?.available ?? '0',
        required: fen(hold.amount),
      });
    }
    return { id: hold.id, accountId: rows[0].account_id, amount: hold.amount };
  }

  /**
   * Posts the hold: the held money leaves the buyer's account as one transfer
   * per line (fee, each payee), in the caller's transaction. The lines must
   * add up to the held amount and credit distinct accounts other than the
   * buyer's.
   *
   * One statement does it all, because it locks the busiest rows (the fee
   * account, a popular seller): they stay locked until commit, so the fewer
   * round trips between this statement and COMMIT, the more settlements per
   * second. Payees are locked in id order, so two settlements paying the
   * same parties cannot deadlock each other.
   */
  async post(manager: EntityManager, hold: PlacedHold, settlementId: string, lines: TransferLine[]): Promise<PostedTransfer[]> {
    const total = lines.reduce((sum, line) => sum + line.amount, 0n);
    const credited = new Set(lines.map((line) => line.creditAccountId));
    if (total !== hold.amount || lines.some((line) => line.amount <= 0n) || credited.size !== lines.length || credited.has(hold.accountId)) {
      throw new Error(`posting lines do not fit hold ${hold.id} (${total} of ${hold.amount} fen to ${credited.size} accounts)`);
    }
    const inserted: Array<{ id: string; kind: string; credit_account_id: string; amount: string }> = await manager.query(
      `WITH posted AS (
         UPDATE holds SET status = 'posted', resolved_at = now() WHERE id = $1 AND status = 'pending' RETURNING account_id, amount
       ), debited AS (
         UPDATE accounts a SET balance = a.balance - p.amount, held = a.held - p.amount FROM posted p WHERE a.id = p.account_id
         RETURNING a.balance + p.amount AS balance_before
       ), locked AS (
         SELECT id FROM accounts WHERE id = ANY($4::uuid[]) ORDER BY id FOR UPDATE
       ), credited AS (
         UPDATE accounts a SET balance = a.balance + c.amount
           FROM locked JOIN unnest($4::uuid[], $5::bigint[]) AS c(id, amount) ON c.id = locked.id
          WHERE a.id = locked.id
         RETURNING a.id, a.balance
       )
       INSERT INTO transfers (kind, debit_account_id, credit_account_id, amount, debit_balance_after, credit_balance_after, settlement_id, hold_id)
       SELECT t.kind, $6, t.credit, t.amount, d.balance_before - sum(t.amount) OVER (ORDER BY t.n), c.balance, $2, $1
         FROM unnest($3::text[], $4::uuid[], $5::bigint[]) WITH ORDINALITY AS t(kind, credit, amount, n)
         JOIN credited c ON c.id = t.credit
         CROSS JOIN debited d
        ORDER BY t.n
       RETURNING id, kind, credit_account_id, amount`,
      [hold.id, settlementId, lines.map((l) => l.kind), lines.map((l) => l.creditAccountId), lines.map((l) => fen(l.amount)), hold.accountId],
    );
    if (inserted.length !== lines.length) throw new Error(`hold ${hold.id} could not be posted (not pending, or a payee account is missing)`);
    return inserted.map((row) => ({ id: String(row.id), kind: row.kind, creditAccountId: row.credit_account_id, amount: BigInt(row.amount) }));
  }

  /**
   * The trace a refused purchase leaves: a hold that was placed and voided,
   * moving no money. One statement, its own transaction, that also claims
   * the Idempotency-Key with the refusal as its answer; false (nothing
   * recorded) when a committed request already holds the key.
   */
  async recordVoided(
    hold: { id: string; partyId: string; amount: bigint; listingId: string; reason: string },
    claim: IdempotencyClaim | undefined,
    answer: { status: number; body: unknown },
  ): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH claim AS (
         INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, completed_at)
         SELECT $6, $7, $8, $9, $10, now() WHERE $7::text IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING 1
       )
       INSERT INTO holds (id, account_id, amount, listing_id, status, void_reason, resolved_at)
       SELECT $1, a.id, $3, $4, 'voided', $5, now() FROM accounts a
        WHERE a.party_id = $2 AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM claim))
       RETURNING 1`,
      [hold.id, hold.partyId, fen(hold.amount), hold.listingId, hold.reason, claim?.scope ?? null, claim?.key ?? null, claim?.requestHash ?? null, answer.status, JSON.stringify(answer.body)],
    );
    return rows.length === 1;
  }
}
