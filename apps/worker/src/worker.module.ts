// The worker: BullMQ processors (infringement scans) and the outbox relay; no HTTP API.
import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { LedgerModule, PlatformModule } from '#platform';
import { OutboxRelayService } from './outbox-relay.service.js';
import { ScanModule } from './scan/scan.module.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config, 'worker', { http: false }), LedgerModule.forRoot({ sequence: false }), ScanModule],
      providers: [OutboxRelayService],
    };
  }
}
