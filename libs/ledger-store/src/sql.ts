// The storage side of the ledger talks SQL through this one function type, so
// it works over a TypeORM DataSource, a pg pool or a dedicated client alike.
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/** Adapts anything with pg's `query(text, params) -> { rows }`. */
export function sqlOf(client: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Sql {
  return async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[];
}

type NamedQuery = (query: { name?: string; text: string; values?: unknown[] }) => Promise<{ rows: unknown[] }>;

/** What preparedSqlOf needs of a pg Pool. */
interface ClientPool {
  connect(): Promise<{
    query: NamedQuery;
    on(event: 'error', listener: (error: Error) => void): unknown;
    removeListener(event: 'error', listener: (error: Error) => void): unknown;
    release(error?: Error): void;
  }>;
}

const MAX_PREPARED = 64;

/**
 * Like sqlOf over a pg Pool, but each statement is prepared once per
 * connection (named by its text) and its plan reused. The ledger's reads are
 * a few fixed statements run constantly; planning the proof query cost more
 * than running it (0.3 ms against 0.1 ms; issue 6, bench:scale). Texts beyond
 * the first 64 run unprepared, so a caller with dynamic SQL cannot make the
 * server keep unboundedly many statements. Statement names start with
 * `prefix`: every Sql made by this function on the same pool needs its own.
 *
 * Not pool.query(): it closes the connection after any failed statement, and
 * a failed statement is often an answer (an exclusion violation, a refusal
 * RAISEd by a function), not a broken connection. A new connection is a new
 * server process that prepares and plans everything again (bench:exchange:
 * contended exclusive purchases fell from 177 to 20 attempts/s). As TypeORM
 * does, the connection goes back to the pool unless it reported an error of
 * its own; pg-pool drops it anyway if it is no longer usable.
 */
export function preparedSqlOf(pool: ClientPool, prefix = 'ledger'): Sql {
  const names = new Map<string, string>();
  return async <Row>(text: string, params?: unknown[]) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) names.set(text, (name = `${prefix}_${names.size}`));
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return (await client.query({ name, text, values: params })).rows as Row[];
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  };
}

/** bigint columns come back from pg as strings; indexes stay far below 2^53. */
export function toIndex(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`index out of range: ${String(value)}`);
  return n;
}
