// The creator of a listing (or the exchange, for a deal it recorded) takes it
// off the market. Licences and assignments already sold are unaffected.
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '#errors';
import { IdempotentTransaction } from '#platform';
import { toListingView, type ListingView } from '../listing-view.js';
import { ListingsRepository } from '../listings.repository.js';
import type { WithdrawListingCommand } from './withdraw-listing.command.js';

@Injectable()
export class WithdrawListingUseCase {
  constructor(
    private readonly tx: IdempotentTransaction,
    private readonly listings: ListingsRepository,
  ) {}

  execute(command: WithdrawListingCommand): Promise<ListingView> {
    return this.tx.run(async (manager) => {
      const listing = await this.listings.find(command.listingId, manager, true);
      if (!listing) throw new AppError(ErrorCode.ListingNotFound, `No listing with id ${command.listingId}.`);
      if (listing.createdBy !== command.partyId) throw new AppError(ErrorCode.Forbidden, 'Only the creator of a listing can withdraw it.');
      if (!(await this.listings.setStatus(manager, listing.id, 'withdrawn', ['awaiting_consent', 'active']))) {
        throw new AppError(ErrorCode.ListingNotAvailable, `The listing is ${listing.status}; it cannot be withdrawn.`, { status: listing.status });
      }
      return toListingView((await this.listings.find(listing.id, manager))!);
    });
  }
}
