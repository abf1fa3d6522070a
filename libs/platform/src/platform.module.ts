// What every app shares: configuration, the database connection (and its
// prepared hot statements), the Redis health probe, the health endpoint and
// graceful shutdown of HTTP requests.
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '#config';
import { dataSourceOptions } from '#persistence';
import { APP_CONFIG } from './app-config.provider.js';
import { HealthController } from './health.controller.js';
import { InFlightRequests } from './in-flight-requests.js';
import { PREPARED_SQL, preparedSqlProvider } from './prepared-sql.js';
import { RedisProbe } from './redis-probe.js';

@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, appName: string, options: { http: boolean } = { http: true }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, appName, config.databasePoolSize), retryAttempts: 30, retryDelay: 1000 })],
      controllers: options.http ? [HealthController] : [],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RedisProbe, useFactory: () => new RedisProbe(config.redisUrl) },
        preparedSqlProvider,
        ...(options.http ? [InFlightRequests, { provide: APP_INTERCEPTOR, useExisting: InFlightRequests }] : []),
      ],
      exports: [APP_CONFIG, RedisProbe, PREPARED_SQL],
    };
  }
}
