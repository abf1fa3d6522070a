// The SQL surface the scan code runs on: a query function and a transaction
// helper, so the same code runs inside the worker (TypeORM's pool) and in the
// benchmark (a plain pg pool).
import type pg from 'pg';

export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;
export type Tx = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;

export interface ScanDb {
  sql: Sql;
  tx: Tx;
}

/** A ScanDb over a pg pool (benchmarks, tests). */
export function scanDbOfPool(pool: pg.Pool): ScanDb {
  const sql: Sql = async <Row>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as Row[];
  const tx: Tx = async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[]);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return { sql, tx };
}

/** A job that cannot run yet (e.g. the ledger entry is not integrated): it waits without spending an attempt. */
export { RetryLater } from '#queue';
