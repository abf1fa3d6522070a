import { Module } from '@nestjs/common';
import { MoneyModule } from '../money/money.module.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { DepositUseCase } from './deposit/deposit.usecase.js';
import { PayoutUseCase } from './payout/payout.usecase.js';

/** Balances, statements, deposits and payouts. */
@Module({
  imports: [MoneyModule],
  controllers: [AccountsController],
  providers: [AccountsRepository, DepositUseCase, PayoutUseCase],
})
export class AccountsModule {}
