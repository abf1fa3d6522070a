// Idempotency for an HTTP app: the store, the transaction runner use cases
// write through, and the interceptor @Idempotent() routes use. Global, so a
// feature module needs no import to use @Idempotent().
import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';
import { IdempotentTransaction } from './idempotent-transaction.js';

@Global()
@Module({
  providers: [IdempotencyStore, IdempotentTransaction, IdempotencyInterceptor],
  exports: [IdempotencyStore, IdempotentTransaction, IdempotencyInterceptor],
})
export class IdempotencyModule {}
