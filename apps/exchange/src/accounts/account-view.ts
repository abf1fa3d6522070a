// What the API shows of an account and of a statement line. Amounts are
// integer fen as decimal strings.
import type { BookedTransfer } from '../money/transfers.repository.js';
import type { AccountRow } from './accounts.repository.js';

export interface AccountView {
  accountId: string;
  kind: AccountRow['kind'];
  partyId: string | null;
  currency: 'CNY';
  /** Posted money. */
  balance: string;
  /** Reserved by pending holds. */
  held: string;
  /** balance - held: what can be spent or paid out. */
  available: string;
}

export function toAccountView(account: AccountRow): AccountView {
  return {
    accountId: account.id,
    kind: account.kind,
    partyId: account.partyId,
    currency: 'CNY',
    balance: account.balance,
    held: account.held,
    available: (BigInt(account.balance) - BigInt(account.held)).toString(),
  };
}

export interface StatementLine {
  transferId: string;
  kind: string;
  direction: 'credit' | 'debit';
  /** Signed change to this account. */
  amount: string;
  /** The account's posted balance right after this transfer. */
  balanceAfter: string;
  counterpartyAccountId: string;
  externalRef: string | null;
  memo: string | null;
  at: string;
}

export function toStatementLine(accountId: string, transfer: BookedTransfer): StatementLine {
  const credit = transfer.creditAccountId === accountId;
  return {
    transferId: transfer.id,
    kind: transfer.kind,
    direction: credit ? 'credit' : 'debit',
    amount: credit ? transfer.amount : `-${transfer.amount}`,
    balanceAfter: credit ? transfer.creditBalanceAfter : transfer.debitBalanceAfter,
    counterpartyAccountId: credit ? transfer.debitAccountId : transfer.creditAccountId,
    externalRef: transfer.externalRef,
    memo: transfer.memo,
    at: transfer.createdAt,
  };
}
