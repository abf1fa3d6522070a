// One place builds the TypeORM options, so the apps, the migration runner and
// the tests all see the same entities and migrations.
import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1764400000000 } from '../../../migrations/1764400000000-initial-schema.js';
import { Exchange1764500000000 } from '../../../migrations/1764500000000-exchange.js';
import { Certificates1764600000000 } from '../../../migrations/1764600000000-certificates.js';
import { Outbox1764700000000 } from '../../../migrations/1764700000000-outbox.js';
import { Infringement1764800000000 } from '../../../migrations/1764800000000-infringement.js';
import { SettleLicenceFunction1764910000000 } from '../../../migrations/1764910000000-settle-licence-function.js';
import { SettleLicenceFewerWrites1764920000000 } from '../../../migrations/1764920000000-settle-licence-fewer-writes.js';
import { ImageFingerprintLayout21764930000000 } from '../../../migrations/1764930000000-image-fingerprint-layout-2.js';
import { LicenceExclusionOneRow1764940000000 } from '../../../migrations/1764940000000-licence-exclusion-one-row.js';
import { DropUnreadIndexes1764950000000 } from '../../../migrations/1764950000000-drop-unread-indexes.js';
import { ImageGridClasses1764960000000 } from '../../../migrations/1764960000000-image-grid-classes.js';
import { ImageCentresClass1764970000000 } from '../../../migrations/1764970000000-image-centres-class.js';
import { SettleLicenceAfterAssignment1764980000000 } from '../../../migrations/1764980000000-settle-licence-after-assignment.js';
import { LicenceExclusionAppendOnly1764990000000 } from '../../../migrations/1764990000000-licence-exclusion-append-only.js';
import { ENTITIES } from './entities/index.js';

export const MIGRATIONS = [InitialSchema1764400000000, Exchange1764500000000, Certificates1764600000000, Outbox1764700000000, Infringement1764800000000, SettleLicenceFunction1764910000000, SettleLicenceFewerWrites1764920000000, ImageFingerprintLayout21764930000000, LicenceExclusionOneRow1764940000000, DropUnreadIndexes1764950000000, ImageGridClasses1764960000000, ImageCentresClass1764970000000, SettleLicenceAfterAssignment1764980000000, LicenceExclusionAppendOnly1764990000000];

/**
 * Session settings for every connection. JIT compilation off: every query
 * here is short, and a misestimated cost above jit_above_cost made the image
 * index lookup spend ~430 ms compiling for ~10 ms of work (measured in
 * bench:detect).
 */
export const SESSION_OPTIONS = '-c jit=off';

export function dataSourceOptions(databaseUrl: string, applicationName: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, options: SESSION_OPTIONS },
  };
}
