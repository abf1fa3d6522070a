// The ledger inside a Nest app: the note signer (key from config or the data
// directory), the reader, the per-process integration waiter and, where the
// app writes entries, a sequencer that competes for the single active role.
import { DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createNoteSigner, verifierKey, type NoteSigner } from '#ledger';
import { IntegrationWaiter, LedgerReader, LedgerSequencer, loadOrCreateSigningSeed, type Sql } from '#ledger-store';
import { APP_CONFIG, type AppConfig } from '../app-config.provider.js';
import { LedgerProofService } from './ledger-proof.service.js';

export const NOTE_SIGNER = Symbol('NOTE_SIGNER');
export const LEDGER_SQL = Symbol('LEDGER_SQL');

@Injectable()
class LedgerLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  private sequencer: LedgerSequencer | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(NOTE_SIGNER) private readonly signer: NoteSigner,
    private readonly waiter: IntegrationWaiter,
    @Inject('LEDGER_SEQUENCE') private readonly sequence: boolean,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.waiter.start();
    this.logger.log(`verifier key ${verifierKey(this.signer)}`);
    if (!this.sequence) return;
    this.sequencer = new LedgerSequencer({
      databaseUrl: this.config.databaseUrl,
      signer: this.signer,
      origin: this.config.ledger.origin,
      batchSize: this.config.ledger.batchSize,
      log: (level, message) => this.logger[level](message),
    });
    this.sequencer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sequencer?.stop();
    await this.waiter.stop();
  }
}

@Module({})
export class LedgerModule {
  static forRoot(options: { sequence: boolean }): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      providers: [
        { provide: 'LEDGER_SEQUENCE', useValue: options.sequence },
        {
          provide: NOTE_SIGNER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            createNoteSigner(config.ledger.keyName, loadOrCreateSigningSeed(config.dataDir, config.ledger.signingKeySeed)),
        },
        { provide: LEDGER_SQL, inject: [DataSource], useFactory: (dataSource: DataSource): Sql => (text, params) => dataSource.query(text, params) },
        { provide: LedgerReader, inject: [LEDGER_SQL], useFactory: (sql: Sql) => new LedgerReader(sql) },
        {
          provide: IntegrationWaiter,
          inject: [APP_CONFIG, LEDGER_SQL],
          useFactory: (config: AppConfig, sql: Sql) => new IntegrationWaiter(config.databaseUrl, sql),
        },
        LedgerProofService,
        LedgerLifecycle,
      ],
      exports: [NOTE_SIGNER, LEDGER_SQL, LedgerReader, IntegrationWaiter, LedgerProofService],
    };
  }
}
