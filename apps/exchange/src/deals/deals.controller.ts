// Negotiated deals: the exchange records agreed terms between a buyer and a
// work's co-owners; every co-owner and the buyer consent through
// POST /v1/listings/:id/consents; the exchange then settles it through the
// same settlement path as a purchase.
import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { APP_CONFIG, Idempotent, type AppConfig, UuidParam } from '#platform';
import { termsFromApi } from '../licences/licence-terms.input.js';
import { CreateListingUseCase } from '../listings/create-listing/create-listing.usecase.js';
import { requireParty } from '../listings/listings.controller.js';
import { amountFromApi } from '../money/amount.js';
import { PurchaseUseCase } from '../settlement/purchase/purchase.usecase.js';
import { CreateDealDto } from './dto/create-deal.dto.js';

@ApiTags('deals')
@ApiBearerAuth()
@Roles('exchange')
@Controller('v1/deals')
export class DealsController {
  constructor(
    private readonly createListing: CreateListingUseCase,
    private readonly purchase: PurchaseUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Record a negotiated deal (awaits the consent of every co-owner and of the buyer)' })
  async create(@Body() body: CreateDealDto, @CurrentPrincipal() principal: Principal) {
    return this.createListing.execute({
      origin: 'deal',
      createdBy: requireParty(principal),
      workId: body.workId,
      kind: body.kind,
      terms: body.terms ? termsFromApi(body.terms) : undefined,
      shareBp: body.shareBp,
      sellerId: body.sellerId,
      buyerId: body.buyerId,
      price: amountFromApi(body.price, 'price'),
      feeBp: body.feeBp ?? this.config.exchange.feeBasisPoints,
    });
  }

  @Post(':id/settlement')
  @Idempotent()
  @ApiOperation({ summary: "Settle a consented deal: the buyer's money is held, the licence or share granted, the money split" })
  async settle(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.purchase.execute({ listingId: id, buyerId: '', via: 'deal', settledBy: requireParty(principal) });
  }
}
