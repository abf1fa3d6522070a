// Buying: a buyer takes a listing; anyone involved reads a settlement.
import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { Idempotent, UuidParam } from '#platform';
import { requireParty } from '../listings/listings.controller.js';
import { PurchaseUseCase } from './purchase/purchase.usecase.js';
import { SettlementQuery } from './settlement.query.js';

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1')
export class SettlementsController {
  constructor(
    private readonly purchase: PurchaseUseCase,
    private readonly settlements: SettlementQuery,
  ) {}

  @Post('listings/:id/purchase')
  @Roles('creator')
  @Idempotent()
  @ApiOperation({
    summary: 'Buy a listing: hold the price, grant the licence or move the share, split the money, append to the ledger',
    description: 'All in one transaction. The answer carries the ledger proof once integrated (else proofStatus pending).',
  })
  @ApiResponse({ status: 201, description: 'Settled.' })
  @ApiResponse({ status: 409, description: 'INSUFFICIENT_FUNDS, LICENCE_CONFLICT, LISTING_NOT_AVAILABLE, CONSENT_REQUIRED, OWNERS_CHANGED, SHARE_NOT_HELD, WORK_NOT_LISTABLE' })
  async buy(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.purchase.execute({ listingId: id, buyerId: requireParty(principal), via: 'listing' });
  }

  @Get('settlements/:id')
  @Roles('creator', 'exchange')
  @ApiOperation({ summary: 'A settlement (buyer, payees and the exchange): amounts, transfers and the ledger proof' })
  async get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    const settlement = await this.settlements.execute(id);
    const involved = principal.role === 'exchange' || settlement?.buyerId === principal.partyId || settlement?.payees.includes(principal.partyId ?? '');
    if (!settlement || !involved) throw new AppError(ErrorCode.NotFound, `No settlement with id ${id}.`);
    return settlement;
  }
}
