// The time-stamp authority inside the registry: credentials from the data
// directory or configuration, the service registrations use, the public
// endpoints and their rate limit.
import { Module } from '@nestjs/common';
import { AuthModule } from '#auth';
import { APP_CONFIG, type AppConfig } from '#platform';
import { loadOrCreateTsaCredentials } from '#timestamp';
import { TimeStampingService, TSA_CREDENTIALS } from './time-stamping.service.js';
import { TsaController } from './tsa.controller.js';
import { TsaRateLimiter } from './tsa-rate-limiter.js';

@Module({
  imports: [AuthModule],
  controllers: [TsaController],
  providers: [
    {
      provide: TSA_CREDENTIALS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => loadOrCreateTsaCredentials({ dataDir: config.dataDir, name: config.tsa.name, files: config.tsa.files }),
    },
    TimeStampingService,
    TsaRateLimiter,
  ],
  exports: [TimeStampingService],
})
export class TsaModule {}
