import { Module } from '@nestjs/common';
import path from 'node:path';
import { BlobStore } from '#blob-store';
import { APP_CONFIG, type AppConfig } from '#platform';
import { TsaModule } from '../tsa/tsa.module.js';
import { RegisterWorkUseCase } from './register-work/register-work.usecase.js';
import { WorkHistoryQuery } from './work-history.query.js';
import { BLOB_STORE, WorksController } from './works.controller.js';
import { WorksRepository } from './works.repository.js';

@Module({
  imports: [TsaModule],
  controllers: [WorksController],
  providers: [
    WorksRepository,
    RegisterWorkUseCase,
    WorkHistoryQuery,
    { provide: BLOB_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new BlobStore(path.join(config.dataDir, 'blobs')) },
  ],
  exports: [WorksRepository, BLOB_STORE],
})
export class WorksModule {}
