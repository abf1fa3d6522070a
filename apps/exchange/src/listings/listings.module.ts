import { Module } from '@nestjs/common';
import { LicencesModule } from '../licences/licences.module.js';
import { ConsentToListingUseCase } from './consent-to-listing/consent-to-listing.usecase.js';
import { CreateListingUseCase } from './create-listing/create-listing.usecase.js';
import { ListingsController } from './listings.controller.js';
import { ListingsRepository } from './listings.repository.js';
import { WithdrawListingUseCase } from './withdraw-listing/withdraw-listing.usecase.js';
import { WorkListability } from './work-listability.js';

/** Listings and deals (a deal is a listing reserved for one buyer), and their consents. */
@Module({
  imports: [LicencesModule],
  controllers: [ListingsController],
  providers: [ListingsRepository, WorkListability, CreateListingUseCase, ConsentToListingUseCase, WithdrawListingUseCase],
  exports: [ListingsRepository, WorkListability, CreateListingUseCase],
})
export class ListingsModule {}
