import { Module } from '@nestjs/common';
import { LicencesModule } from '../licences/licences.module.js';
import { ListingsModule } from '../listings/listings.module.js';
import { MoneyModule } from '../money/money.module.js';
import { PurchaseUseCase } from './purchase/purchase.usecase.js';
import { SettleListing } from './settle-listing.js';
import { SettlementQuery } from './settlement.query.js';
import { SettlementsController } from './settlements.controller.js';
import { SettlementsRepository } from './settlements.repository.js';

/** Purchases and deal settlements: the one path money, licences, shares and ledger entries move together. */
@Module({
  imports: [MoneyModule, ListingsModule, LicencesModule],
  controllers: [SettlementsController],
  providers: [SettlementsRepository, SettleListing, PurchaseUseCase, SettlementQuery],
  exports: [PurchaseUseCase],
})
export class SettlementModule {}
