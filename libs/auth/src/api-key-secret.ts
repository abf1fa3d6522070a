// API key secrets: 256 random bits, shown once. Only their SHA-256 is stored;
// a slow password hash is not needed because the secret is not guessable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'crk_';

export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Whether a string could be a key this service issued (a made-up one is refused without a database lookup). */
export function isWellFormedApiKey(key: string): boolean {
  return /^crk_[A-Za-z0-9_-]{43}$/.test(key);
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The part of a key safe to show in listings to tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX.length + 6);
}

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(hashApiKey(a), hashApiKey(b));
}
