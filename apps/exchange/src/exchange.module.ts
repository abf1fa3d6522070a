// The exchange app: accounts and money, listings and deals with co-owner
// consent, purchases settled in one transaction with their licence or
// assignment and ledger entry, public licence checks, reconciliation.
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { AuthModule } from '#auth';
import { IdempotencyModule, LedgerModule, PlatformModule } from '#platform';
import { AccountsModule } from './accounts/accounts.module.js';
import { DealsModule } from './deals/deals.module.js';
import { LicencesModule } from './licences/licences.module.js';
import { ListingsModule } from './listings/listings.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { SettlementModule } from './settlement/settlement.module.js';

@Module({})
export class ExchangeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ExchangeModule,
      imports: [
        PlatformModule.forRoot(config, 'exchange'),
        LedgerModule.forRoot({ sequence: true }),
        AuthModule,
        IdempotencyModule,
        AccountsModule,
        ListingsModule,
        LicencesModule,
        SettlementModule,
        DealsModule,
        ReconciliationModule,
      ],
    };
  }
}
