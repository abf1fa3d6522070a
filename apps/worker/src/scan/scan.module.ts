// The infringement scan inside the worker: the fingerprint and match steps
// over the application's database pool and content store, bound to their job
// names.
import { Module } from '@nestjs/common';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { BlobStore } from '#blob-store';
import { JobName } from '#queue';
import { APP_CONFIG, type AppConfig } from '#platform';
import { JOB_HANDLERS, QueueWorkersService } from '../queue/queue-workers.service.js';
import type { JobHandlers } from '../queue/job-handlers.js';
import { FingerprintScanner } from './fingerprints.js';
import { MatchScanner } from './matcher.js';
import type { ScanDb, Sql } from './scan-db.js';

export const SCAN_DB = Symbol('SCAN_DB');
export const SCAN_BLOBS = Symbol('SCAN_BLOBS');

function scanDbOf(dataSource: DataSource): ScanDb {
  const sql: Sql = (text, params) => dataSource.query(text, params);
  return { sql, tx: (work) => dataSource.transaction((manager) => work((text, params) => manager.query(text, params))) };
}

@Module({
  providers: [
    { provide: SCAN_DB, inject: [DataSource], useFactory: scanDbOf },
    { provide: SCAN_BLOBS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new BlobStore(path.join(config.dataDir, 'blobs')) },
    { provide: FingerprintScanner, inject: [SCAN_DB, SCAN_BLOBS], useFactory: (db: ScanDb, blobs: BlobStore) => new FingerprintScanner(db, blobs) },
    { provide: MatchScanner, inject: [SCAN_DB, SCAN_BLOBS], useFactory: (db: ScanDb, blobs: BlobStore) => new MatchScanner(db, blobs) },
    {
      provide: JOB_HANDLERS,
      inject: [FingerprintScanner, MatchScanner],
      useFactory: (fingerprints: FingerprintScanner, matches: MatchScanner): JobHandlers => ({
        [JobName.FingerprintWork]: ({ workId }) => fingerprints.run('work', workId).then((r) => ({ status: r.status, media: r.media })),
        [JobName.FingerprintSighting]: ({ sightingId }) => fingerprints.run('sighting', sightingId).then((r) => ({ status: r.status, media: r.media })),
        [JobName.MatchWork]: ({ workId }) => matches.run('work', workId),
        [JobName.MatchSighting]: ({ sightingId }) => matches.run('sighting', sightingId),
      }),
    },
    QueueWorkersService,
  ],
})
export class ScanModule {}
