// The storage side of the ledger talks SQL through this one function type, so
// it works over a TypeORM DataSource, a pg pool or a dedicated client alike.
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/** Adapts anything with pg's `query(text, params) -> { rows }`. */
export function sqlOf(client: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Sql {
  return async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[];
}

type NamedQuery = (query: { name?: string; text: string; values?: unknown[] }) => Promise<{ rows: unknown[] }>;

const MAX_PREPARED = 64;

/**
 * Like sqlOf over a pg Pool, but each statement is prepared once per
 * connection (named by its text) and its plan reused. The ledger's reads are
 * a few fixed statements run constantly; planning the proof query cost more
 * than running it (0.3 ms against 0.1 ms; issue 6, bench:scale). Texts beyond
 * the first 64 run unprepared, so a caller with dynamic SQL cannot make the
 * server keep unboundedly many statements. Statement names start with
 * `prefix`: every Sql made by this function on the same pool needs its own.
 */
export function preparedSqlOf(pool: { query: NamedQuery }, prefix = 'ledger'): Sql {
  const names = new Map<string, string>();
  return async <Row>(text: string, params?: unknown[]) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) names.set(text, (name = `${prefix}_${names.size}`));
    return (await pool.query({ name, text, values: params })).rows as Row[];
  };
}

/** bigint columns come back from pg as strings; indexes stay far below 2^53. */
export function toIndex(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`index out of range: ${String(value)}`);
  return n;
}
