// A co-owner (or a deal's buyer) confirms a listing that needs its consent.
// The last consent makes the listing active. Confirming twice is harmless.
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '#errors';
import { IdempotentTransaction } from '#platform';
import { toListingView, type ListingView } from '../listing-view.js';
import { ListingsRepository } from '../listings.repository.js';
import type { ConsentToListingCommand } from './consent-to-listing.command.js';

@Injectable()
export class ConsentToListingUseCase {
  constructor(
    private readonly tx: IdempotentTransaction,
    private readonly listings: ListingsRepository,
  ) {}

  execute(command: ConsentToListingCommand): Promise<ListingView> {
    return this.tx.run(async (manager) => {
      const listing = await this.listings.find(command.listingId, manager, true);
      if (!listing) throw new AppError(ErrorCode.ListingNotFound, `No listing with id ${command.listingId}.`);
      const mine = listing.consents.find((c) => c.partyId === command.partyId);
      if (!mine) throw new AppError(ErrorCode.ConsentNotExpected, 'This listing does not ask for your consent.');
      if (!mine.consentedAt) {
        if (listing.status !== 'awaiting_consent') {
          throw new AppError(ErrorCode.ListingNotAvailable, `The listing is ${listing.status}; it no longer takes consents.`, { status: listing.status });
        }
        await this.listings.consent(manager, listing.id, command.partyId);
      }
      // Decided on a fresh read, now that the lock is ours: the locking read
      // re-reads the listing row after waiting but not its consents, so when
      // two parties consented at once the second saw the first's consent as
      // missing and the listing was left waiting for good. A repeated consent
      // also activates a listing left waiting that way.
      const fresh = (await this.listings.find(listing.id, manager))!;
      if (fresh.status !== 'awaiting_consent' || fresh.consents.some((c) => c.consentedAt === null)) return toListingView(fresh);
      await this.listings.setStatus(manager, listing.id, 'active', ['awaiting_consent']);
      return toListingView((await this.listings.find(listing.id, manager))!);
    });
  }
}
