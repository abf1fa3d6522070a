// Builds the exchange HTTP app (used by main.ts, the end-to-end tests and the benchmark).
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '#config';
import { createHttpApp } from '#platform';
import { ExchangeModule } from './exchange.module.js';

export function createExchangeApp(config: AppConfig): Promise<INestApplication> {
  return createHttpApp(ExchangeModule.forRoot(config), config, {
    title: 'Cultural property exchange',
    description:
      'Accounts, listings, licences, assignments and settlement. Amounts are integer fen (CNY minor units) as decimal strings. ' +
      'Every mutating call needs an Idempotency-Key header.',
  });
}
