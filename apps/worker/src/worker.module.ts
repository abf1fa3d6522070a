// The worker: BullMQ processors and the outbox relay; no HTTP API.
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { LedgerModule, PlatformModule } from '#platform';
import { OutboxRelayService } from './outbox-relay.service.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, 'worker', { http: false }), LedgerModule.forRoot({ sequence: false })],
      providers: [OutboxRelayService],
    };
  }
}
