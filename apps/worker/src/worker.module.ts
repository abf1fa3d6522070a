// The worker: BullMQ processors only, no HTTP API (processors arrive with the
// infringement issue). It also takes part in ledger sequencing fail-over.
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { LedgerModule, PlatformModule } from '#platform';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, 'worker', { http: false }), LedgerModule.forRoot({ sequence: false })],
    };
  }
}
