// What makes two requests "the same" for an Idempotency-Key: method, path and
// body, with the body in canonical JSON so that key order and whitespace do
// not matter.
import { createHash } from 'node:crypto';
import { canonicalize } from '#ledger';

export function requestFingerprint(method: string, path: string, body: unknown): Buffer {
  let canonicalBody: string;
  try {
    canonicalBody = body === undefined || body === null ? '' : canonicalize(body);
  } catch {
    canonicalBody = JSON.stringify(body) ?? '';
  }
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n`).update(canonicalBody).digest();
}

/** Printable ASCII, at most 255 characters: UUIDs, ULIDs and client-made keys all fit. */
export function isValidIdempotencyKey(key: unknown): key is string {
  return typeof key === 'string' && /^[\x21-\x7e]{1,255}$/.test(key);
}
