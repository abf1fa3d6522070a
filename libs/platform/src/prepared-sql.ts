// The statements an API runs on every request of its hot path (the
// idempotency lookup, a purchase's read of its listing and its settlement
// call), prepared once per connection on TypeORM's pg pool, so the server
// plans them once instead of on every call. Reading a listing with its work
// for a purchase took about 1 ms to plan and 0.2 ms to run (bench:exchange).
// Use it for fixed statement texts only; dynamic SQL stays on the DataSource.
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { preparedSqlOf, type Sql } from '#ledger-store';

export const PREPARED_SQL = Symbol('PREPARED_SQL');

export const preparedSqlProvider = {
  provide: PREPARED_SQL,
  inject: [DataSource],
  // Its own statement names: the ledger's prepared statements share the pool.
  useFactory: (dataSource: DataSource): Sql => preparedSqlOf((dataSource.driver as PostgresDriver).master as Pool, 'app'),
};
