// PostgreSQL error codes (SQLSTATE) as the pg driver reports them, directly
// or wrapped by TypeORM's QueryFailedError.
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An error the data of a statement caused (class 22 data exception, class 23 constraint violation), not the server or the connection. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}
