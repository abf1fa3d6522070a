// Query values that reach PostgreSQL as timestamps or uuids. Format checks let
// through values PostgreSQL refuses (IsISO8601 passes week dates, year 0000
// and, unless strict, 2026-02-30; cursor checks passed a time of "1" and an id
// of 36 dashes), and each was a 500 (issue 6, bad-input tests). These say
// exactly what is accepted.
import { AppError, ErrorCode } from '#errors';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly what Date#toISOString writes, which is what this API puts in cursors. */
export function isCursorInstant(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** A client's ISO 8601 date or time as an instant PostgreSQL accepts (years 1 to 9999), or a 400 naming the parameter. */
export function isoInstant(name: string, value: string): string {
  const time = Date.parse(value);
  const year = Number.isNaN(time) ? NaN : new Date(time).getUTCFullYear();
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !(year >= 1 && year <= 9999)) {
    throw new AppError(ErrorCode.ValidationFailed, `Invalid request: ${name} must be an ISO 8601 date or time (e.g. 2026-05-01 or 2026-05-01T08:00:00Z) in the years 1 to 9999.`, {
      field: name,
    });
  }
  return new Date(time).toISOString();
}
