// The storage side of the ledger talks SQL through this one function type, so
// it works over a TypeORM DataSource, a pg pool or a dedicated client alike.
export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/** Adapts anything with pg's `query(text, params) -> { rows }`. */
export function sqlOf(client: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Sql {
  return async <Row>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as Row[];
}

/** bigint columns come back from pg as strings; indexes stay far below 2^53. */
export function toIndex(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`index out of range: ${String(value)}`);
  return n;
}
