import { Module } from '@nestjs/common';
import { ListingsModule } from '../listings/listings.module.js';
import { SettlementModule } from '../settlement/settlement.module.js';
import { DealsController } from './deals.controller.js';

/** Negotiated deals: recorded as reserved listings, settled through the purchase path. */
@Module({
  imports: [ListingsModule, SettlementModule],
  controllers: [DealsController],
})
export class DealsModule {}
