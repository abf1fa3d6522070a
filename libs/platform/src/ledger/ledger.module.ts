// The ledger inside a Nest app: the note signer (key from config or the data
// directory), the reader, the per-process integration waiter and, where the
// app writes entries, a sequencer that competes for the single active role.
import { DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { verifierKey, type NoteSigner } from '#ledger';
import { IntegrationWaiter, LedgerReader, LedgerSequencer, preparedSqlOf, type Sql } from '#ledger-store';
import { APP_CONFIG, type AppConfig } from '../app-config.provider.js';
import { LedgerProofService } from './ledger-proof.service.js';
import { ledgerSigner } from './ledger-signer.js';
import { LedgerStatus } from './ledger-status.js';

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
    private readonly status: LedgerStatus,
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
    this.status.track(() => this.sequencer?.isActive ?? false);
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
          useFactory: ledgerSigner,
        },
        // Straight on TypeORM's pg pool, with prepared statements: a proof's few
        // fixed queries spent more time being planned than run (issue 6).
        { provide: LEDGER_SQL, inject: [DataSource], useFactory: (dataSource: DataSource): Sql => preparedSqlOf((dataSource.driver as PostgresDriver).master as Pool) },
        // Proofs are checked against the signed checkpoints before they are served (issue 6).
        {
          provide: LedgerReader,
          inject: [LEDGER_SQL, NOTE_SIGNER],
          useFactory: (sql: Sql, signer: NoteSigner) => new LedgerReader(sql, { verifierKey: verifierKey(signer) }),
        },
        {
          provide: IntegrationWaiter,
          inject: [APP_CONFIG, LEDGER_SQL],
          useFactory: (config: AppConfig, sql: Sql) => new IntegrationWaiter(config.databaseUrl, sql),
        },
        LedgerProofService,
        LedgerStatus,
        LedgerLifecycle,
      ],
      exports: [NOTE_SIGNER, LEDGER_SQL, LedgerReader, IntegrationWaiter, LedgerProofService, LedgerStatus],
    };
  }
}
