// Structural equality of JSON values as RFC 8785 sees them (key order and
// number spelling do not matter).
import { canonicalize } from '#ledger';

export function canonicalEqual(a: unknown, b: unknown): boolean {
  try {
    return canonicalize(a) === canonicalize(b);
  } catch {
    return false;
  }
}
