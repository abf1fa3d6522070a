// Opaque keyset cursor for listing pages: (created_at, id) of the last item.
import { AppError, ErrorCode } from '#errors';
import { isCursorInstant, UUID_PATTERN } from '#platform';

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt, id })).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const { t, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Exactly what encodeCursor writes: a forged time like "1" or an id of 36
    // dashes passed the old loose checks and failed in PostgreSQL as a 500.
    if (isCursorInstant(t) && typeof id === 'string' && UUID_PATTERN.test(id)) return { createdAt: t, id };
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.ValidationFailed, 'cursor is not one this API returned; start again without it.');
}
