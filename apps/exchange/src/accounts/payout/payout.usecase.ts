// Money leaving the exchange: the party's account is debited (only what is
// available, never held money), the settlement bank credited.
import { Injectable } from '@nestjs/common';
import { IdempotentTransaction } from '#platform';
import { SETTLEMENT_BANK_ACCOUNT } from '../../money/system-accounts.js';
import { TransfersRepository, type BookedTransfer } from '../../money/transfers.repository.js';
import type { MoneyMovementCommand } from '../deposit/deposit.command.js';
import { bookExternal } from '../external-movement.js';

@Injectable()
export class PayoutUseCase {
  constructor(
    private readonly tx: IdempotentTransaction,
    private readonly transfers: TransfersRepository,
  ) {}

  execute(command: MoneyMovementCommand): Promise<BookedTransfer> {
    return bookExternal(this.tx, command, (manager, accountId) =>
      this.transfers.book(manager, {
        kind: 'payout',
        debitAccountId: accountId,
        creditAccountId: SETTLEMENT_BANK_ACCOUNT,
        amount: command.amount,
        externalRef: command.externalRef,
        memo: command.memo,
      }),
    );
  }
}
