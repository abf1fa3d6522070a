// Books one transfer between two accounts: both rows are locked in id order
// (no deadlock between opposite transfers), the debited account must have the
// money available (the CHECK accounts_no_overdraft backs this up), and the
// transfer row records both balances after it for statements.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '#errors';
import { fen } from './amount.js';
import type { TransferKind } from './transfer-kind.js';

export interface NewTransfer {
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  externalRef?: string;
  memo?: string;
}

export interface BookedTransfer {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  debitBalanceAfter: string;
  creditBalanceAfter: string;
  externalRef: string | null;
  memo: string | null;
  createdAt: string;
}

interface TransferRow {
  id: string;
  kind: TransferKind;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  debit_balance_after: string;
  credit_balance_after: string;
  external_ref: string | null;
  memo: string | null;
  created_at: Date;
}

export function toBookedTransfer(row: TransferRow): BookedTransfer {
  return {
    id: String(row.id),
    kind: row.kind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: String(row.amount),
    debitBalanceAfter: String(row.debit_balance_after),
    creditBalanceAfter: String(row.credit_balance_after),
    externalRef: row.external_ref,
    memo: row.memo,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class TransfersRepository {
  async book(manager: EntityManager, transfer: NewTransfer): Promise<BookedTransfer> {
    const locked: Array<{ id: string; kind: string; available: string }> = await manager.query(
      'SELECT id, kind, balance - held AS available FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [[transfer.debitAccountId, transfer.creditAccountId]],
    );
    const debit = locked.find((a) => a.id === transfer.debitAccountId);
    if (!debit || !locked.some((a) => a.id === transfer.creditAccountId)) throw new AppError(ErrorCode.AccountNotFound, 'No such account.');
    if (debit.kind !== 'settlement_bank' && BigInt(debit.available) < transfer.amount) {
      throw new AppError(ErrorCode.InsufficientFunds, `The available balance is ${debit.available} fen; ${transfer.amount} fen are needed.`, {
        available: String(debit.available),
        required: fen(transfer.amount),
      });
    }
    const [row]: TransferRow[] = await manager.query(
      `WITH debited AS (UPDATE accounts SET balance = balance - $4 WHERE id = $2 RETURNING balance),
            credited AS (UPDATE accounts SET balance = balance + $4 WHERE id = $3 RETURNING balance)
       INSERT INTO transfers (kind, debit_account_id, credit_account_id, amount, debit_balance_after, credit_balance_after, external_ref, memo)
       SELECT $1, $2, $3, $4, debited.balance, credited.balance, $5, $6 FROM debited, credited
       RETURNING *`,
      [transfer.kind, transfer.debitAccountId, transfer.creditAccountId, fen(transfer.amount), transfer.externalRef ?? null, transfer.memo ?? null],
    );
    return toBookedTransfer(row);
  }
}
