// Money entering the exchange: the settlement bank is debited, the party's
// account credited. The bank reference makes the booking unique even across
// different Idempotency-Keys.
import { Injectable } from '@nestjs/common';
import { IdempotentTransaction } from '#platform';
import { SETTLEMENT_BANK_ACCOUNT } from '../../money/system-accounts.js';
import { TransfersRepository, type BookedTransfer } from '../../money/transfers.repository.js';
import { bookExternal } from '../external-movement.js';
import type { MoneyMovementCommand } from './deposit.command.js';

@Injectable()
export class DepositUseCase {
  constructor(
    private readonly tx: IdempotentTransaction,
    private readonly transfers: TransfersRepository,
  ) {}

  execute(command: MoneyMovementCommand): Promise<BookedTransfer> {
    return bookExternal(this.tx, command, (manager, accountId) =>
      this.transfers.book(manager, {
        kind: 'deposit',
        debitAccountId: SETTLEMENT_BANK_ACCOUNT,
        creditAccountId: accountId,
        amount: command.amount,
        externalRef: command.externalRef,
        memo: command.memo,
      }),
    );
  }
}
