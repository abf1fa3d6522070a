// Runs the outbox relay inside the worker process for its whole life.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Pool, PoolClient } from 'pg';
import { OutboxRelay } from '#queue';
import { APP_CONFIG, type AppConfig } from '#platform';

@Injectable()
export class OutboxRelayService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private relay: OutboxRelay | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // The claim needs one connection for a whole transaction: borrow it from
    // TypeORM's own pg pool rather than opening another pool.
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    this.relay = new OutboxRelay({
      connect: async () => {
        const client: PoolClient = await pool.connect();
        // pg-pool takes its own 'error' listener off a client it lends, so a
        // connection that drops between two statements of the claim (database
        // restarted) emitted an unhandled 'error' and killed the worker (found
        // by the PostgreSQL restart fault test). Note it instead: the next
        // query fails, and the broken client is discarded on release.
        let broken: Error | undefined;
        const onError = (error: Error) => (broken = error);
        client.on('error', onError);
        return {
          query: (text, params) => client.query(text, params),
          release: () => {
            client.removeListener('error', onError);
            client.release(broken);
          },
        };
      },
      redisUrl: this.config.redisUrl,
      prefix: this.config.queue.prefix,
      log: (level, message) => this.logger[level](message),
    });
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
