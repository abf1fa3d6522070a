// Accounts: balances and statements (a party sees its own, the exchange sees
// any), deposits and payouts (exchange role, with the bank's reference).
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { Idempotent, UuidParam } from '#platform';
import { amountFromApi } from '../money/amount.js';
import { AccountsRepository } from './accounts.repository.js';
import { toAccountView, toStatementLine } from './account-view.js';
import { DepositUseCase } from './deposit/deposit.usecase.js';
import { MoneyMovementDto } from './dto/money-movement.dto.js';
import { StatementQueryDto } from './dto/statement-query.dto.js';
import { PayoutUseCase } from './payout/payout.usecase.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly deposit: DepositUseCase,
    private readonly payout: PayoutUseCase,
  ) {}

  @Post('deposits')
  @Roles('exchange')
  @Idempotent()
  @ApiOperation({ summary: 'Book money received for a party (settlement bank → party account)' })
  async createDeposit(@Body() body: MoneyMovementDto) {
    return this.deposit.execute({ partyId: body.partyId, amount: amountFromApi(body.amount, 'amount'), externalRef: body.externalRef, memo: body.memo });
  }

  @Post('payouts')
  @Roles('exchange')
  @Idempotent()
  @ApiOperation({ summary: "Book money paid out to a party's bank (party account → settlement bank); only available money" })
  async createPayout(@Body() body: MoneyMovementDto) {
    return this.payout.execute({ partyId: body.partyId, amount: amountFromApi(body.amount, 'amount'), externalRef: body.externalRef, memo: body.memo });
  }

  @Get('accounts/:partyId')
  @Roles('creator', 'exchange')
  @ApiOperation({ summary: "A party's balance, held amount, available amount and pending holds (creators: their own only)" })
  async get(@Param('partyId', UuidParam) partyId: string, @CurrentPrincipal() principal: Principal) {
    const account = await this.visibleAccount(partyId, principal);
    return { ...toAccountView(account), pendingHolds: await this.accounts.pendingHolds(account.id) };
  }

  @Get('accounts/:partyId/statement')
  @Roles('creator', 'exchange')
  @ApiOperation({ summary: 'Transfers on the account, oldest first, each with the running balance after it' })
  async statement(@Param('partyId', UuidParam) partyId: string, @Query() query: StatementQueryDto, @CurrentPrincipal() principal: Principal) {
    const account = await this.visibleAccount(partyId, principal);
    const limit = query.limit ?? 100;
    const transfers = await this.accounts.statement(account.id, query.after ?? '0', limit);
    return {
      account: toAccountView(account),
      lines: transfers.map((t) => toStatementLine(account.id, t)),
      nextCursor: transfers.length === limit ? transfers[transfers.length - 1].id : null,
    };
  }

  private async visibleAccount(partyId: string, principal: Principal) {
    if (principal.role !== 'exchange' && principal.partyId !== partyId) {
      throw new AppError(ErrorCode.Forbidden, 'A creator sees only its own account.');
    }
    const account = await this.accounts.byParty(partyId);
    if (!account) throw new AppError(ErrorCode.AccountNotFound, `No account for party ${partyId}.`);
    return account;
  }
}
