// The exchange app: accounts, listings, licences and settlement (the trading
// endpoints arrive with the exchange issue; for now it serves health and docs).
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { AuthModule } from '#auth';
import { LedgerModule, PlatformModule } from '#platform';

@Module({})
export class ExchangeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ExchangeModule,
      imports: [PlatformModule.forRoot(config, 'exchange'), LedgerModule.forRoot({ sequence: true }), AuthModule],
    };
  }
}
