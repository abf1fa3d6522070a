// Opaque keyset cursor for listing pages: (created_at, id) of the last item.
import { AppError, ErrorCode } from '#errors';

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt, id })).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const { t, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof t === 'string' && !Number.isNaN(Date.parse(t)) && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { createdAt: t, id };
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.ValidationFailed, 'cursor is not one this API returned; start again without it.');
}
