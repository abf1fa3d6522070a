// Listings: a co-owner offers a licence or an assignment; co-owners consent;
// the creator withdraws. Thin: build a command, call the use case.
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, Idempotent, type AppConfig, UuidParam } from '#platform';
import { termsFromApi } from '../licences/licence-terms.input.js';
import { amountFromApi } from '../money/amount.js';
import { ConsentToListingUseCase } from './consent-to-listing/consent-to-listing.usecase.js';
import { CreateListingUseCase } from './create-listing/create-listing.usecase.js';
import { CreateListingDto } from './dto/create-listing.dto.js';
import { SearchListingsDto } from './dto/search-listings.dto.js';
import { decodeCursor, encodeCursor } from './listing-cursor.js';
import { toListingView } from './listing-view.js';
import { ListingsRepository } from './listings.repository.js';
import { WithdrawListingUseCase } from './withdraw-listing/withdraw-listing.usecase.js';

export function requireParty(principal: Principal): string {
  if (!principal.partyId) throw new AppError(ErrorCode.Forbidden, 'Use a key that belongs to a party.');
  return principal.partyId;
}

@ApiTags('listings')
@ApiBearerAuth()
@Controller('v1/listings')
export class ListingsController {
  constructor(
    private readonly createListing: CreateListingUseCase,
    private readonly consentToListing: ConsentToListingUseCase,
    private readonly withdrawListing: WithdrawListingUseCase,
    private readonly listings: ListingsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('creator')
  @Idempotent()
  @ApiOperation({
    summary: 'Offer a licence or an assignment of (part of) your share of a work you co-own',
    description: 'Exclusive licences and assignments wait for every co-owner to consent (status awaiting_consent); others are active at once.',
  })
  async create(@Body() body: CreateListingDto, @CurrentPrincipal() principal: Principal) {
    return this.createListing.execute({
      origin: 'listing',
      createdBy: requireParty(principal),
      workId: body.workId,
      kind: body.kind,
      terms: body.terms ? termsFromApi(body.terms) : undefined,
      shareBp: body.shareBp,
      price: amountFromApi(body.price, 'price'),
      feeBp: this.config.exchange.feeBasisPoints,
    });
  }

  @Get()
  @ApiOperation({ summary: 'Browse listings, newest first, cursor-paginated (deals are shown to the exchange only)' })
  async search(@Query() query: SearchListingsDto, @CurrentPrincipal() principal: Principal) {
    const limit = query.limit ?? 20;
    const found = await this.listings.search({
      workId: query.work,
      status: query.status,
      includeDeals: principal.role === 'exchange',
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = found.slice(0, limit).map(toListingView);
    const last = page[page.length - 1];
    return { items: page, nextCursor: found.length > limit ? encodeCursor(last.createdAt, last.id) : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A listing or deal, with its consents' })
  async get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    const listing = await this.listings.find(id);
    const involved = listing && (principal.role === 'exchange' || listing.createdBy === principal.partyId || listing.consents.some((c) => c.partyId === principal.partyId));
    if (!listing || (listing.origin === 'deal' && !involved)) throw new AppError(ErrorCode.ListingNotFound, `No listing with id ${id}.`);
    return toListingView(listing);
  }

  @Post(':id/consents')
  @HttpCode(200)
  @Roles('creator')
  @Idempotent()
  @ApiOperation({ summary: 'Consent, as a co-owner (or as the buyer of a deal), to a listing that needs it' })
  async consent(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.consentToListing.execute({ listingId: id, partyId: requireParty(principal) });
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles('creator', 'exchange')
  @Idempotent()
  @ApiOperation({ summary: 'Withdraw a listing you created (the exchange withdraws its deals)' })
  async withdraw(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.withdrawListing.execute({ listingId: id, partyId: requireParty(principal) });
  }
}
