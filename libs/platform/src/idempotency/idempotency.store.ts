// SQL on idempotency_keys. A row is written inside the business transaction
// (claim first, answer last), so it exists exactly when the change committed.
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Sql } from '#ledger-store';
import { PREPARED_SQL } from '../prepared-sql.js';
import type { IdempotencyClaim } from './idempotency-claim.js';

export interface StoredAnswer {
  requestHash: Buffer;
  status: number;
  body: unknown;
}

@Injectable()
export class IdempotencyStore {
  /** find() and recordSent() run on every idempotent call, outside its transaction: prepared. */
  constructor(@Inject(PREPARED_SQL) private readonly sql: Sql) {}

  /** The committed answer under this key, if any. */
  async find(scope: string, key: string): Promise<StoredAnswer | undefined> {
    const rows = await this.sql<{ request_hash: Buffer; response_status: number | null; response_body: unknown }>(
      'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    const row = rows[0];
    if (!row || row.response_status === null) return undefined;
    return { requestHash: row.request_hash, status: row.response_status, body: row.response_body };
  }

  /**
   * First statement of the business transaction. If another transaction holds
   * the same key, PostgreSQL makes this one wait until it ends; returns false
   * when it committed (the caller must roll back and replay its answer).
   */
  async claimWithin(manager: EntityManager, claim: IdempotencyClaim): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
      [claim.scope, claim.key, claim.requestHash],
    );
    return rows.length === 1;
  }

  /** Last statement of the business transaction: the answer commits with the change. */
  async completeWithin(manager: EntityManager, claim: IdempotencyClaim, status: number, body: unknown): Promise<void> {
    await manager.query(
      'UPDATE idempotency_keys SET response_status = $3, response_body = $4, completed_at = now() WHERE scope = $1 AND key = $2',
      [claim.scope, claim.key, status, JSON.stringify(body ?? null)],
    );
  }

  /**
   * After the handler: records the answer actually sent (`json`, as
   * serialised for the comparison with the stored one). Inserts it for a route
   * whose handler stored nothing itself; replaces the stored one when the
   * handler enriched it after commit (e.g. with a ledger proof), so a replay
   * repeats exactly what the first caller received.
   */
  async recordSent(claim: IdempotencyClaim, status: number, json: string): Promise<void> {
    if (claim.stored) {
      // The row committed with the change: a plain UPDATE replaces its answer
      // (an upsert would first probe for the insert, then lock the row, a WAL
      // record of its own, and only then update it).
      const updated = await this.sql(
        'UPDATE idempotency_keys SET response_status = $4, response_body = $5 WHERE scope = $1 AND key = $2 AND request_hash = $3 RETURNING 1',
        [claim.scope, claim.key, claim.requestHash, status, json],
      );
      if (updated.length) return;
    }
    await this.sql(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, completed_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (scope, key) DO UPDATE SET response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body
       WHERE idempotency_keys.request_hash = EXCLUDED.request_hash`,
      [claim.scope, claim.key, claim.requestHash, status, json],
    );
  }
}
