// What deposits and payouts share: find the party's account, refuse a bank
// reference already booked (also when two requests race on it), book it in
// an idempotent transaction.
import { AppError, ErrorCode } from '#errors';
import type { IdempotentTransaction } from '#platform';
import type { EntityManager } from 'typeorm';
import type { BookedTransfer } from '../money/transfers.repository.js';
import type { MoneyMovementCommand } from './deposit/deposit.command.js';

function duplicateRef(externalRef: string): AppError {
  return new AppError(ErrorCode.DuplicateExternalRef, `The bank reference ${externalRef} is already booked.`, { externalRef });
}

export async function bookExternal(
  tx: IdempotentTransaction,
  command: MoneyMovementCommand,
  book: (manager: EntityManager, accountId: string) => Promise<BookedTransfer>,
): Promise<BookedTransfer> {
  try {
    return await tx.run(async (manager) => {
      const [account]: Array<{ id: string }> = await manager.query('SELECT id FROM accounts WHERE party_id = $1', [command.partyId]);
      if (!account) throw new AppError(ErrorCode.AccountNotFound, `No party with id ${command.partyId}.`);
      const [booked]: unknown[] = await manager.query('SELECT 1 FROM transfers WHERE external_ref = $1', [command.externalRef]);
      if (booked) throw duplicateRef(command.externalRef);
      return book(manager, account.id);
    });
  } catch (error) {
    const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
    if ((e.driverError?.code ?? e.code) === '23505' && (e.driverError?.constraint ?? e.constraint) === 'transfers_external_ref_key') {
      throw duplicateRef(command.externalRef);
    }
    throw error;
  }
}
