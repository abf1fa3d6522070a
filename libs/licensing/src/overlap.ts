// Scope arithmetic between licences: do two licences cover any common use,
// may a new licence be granted next to existing ones, and is a given use
// covered by a licence?
//
// A licence's scope is the product rights × territories × media × days, so two
// scopes meet exactly when every one of those factors meets. WORLD meets every
// territory and `any` every medium; periods are half-open [start, end).
//
// Every function here re-validates its LicenceTerms arguments. A hand-built
// or DB-loaded object with "cn" for "CN" or a reversed period would otherwise
// compare as "no overlap" and let a second exclusive licence be sold; failing
// closed with INVALID_TERMS is the safer outcome.

import { isIsoDate } from './iso-date.js';
import { type LicenceTerms, type Period, normaliseTerms } from './licence-terms.js';
import { LicensingError, LicensingErrorCode } from './licensing-error.js';
import { Medium, isMedium } from './media.js';
import { type Right, isRight } from './rights.js';
import { WORLD, isCountryCode } from './territories.js';

export interface ConflictResult {
  conflict: boolean;
  /** Index into `existing` of the first conflicting licence, when there is one. */
  with?: number;
}

/** A concrete (or, with WORLD/`any`, blanket) use to check against a licence. */
export interface LicensedUse {
  right: Right;
  /** Assigned ISO 3166-1 alpha-2 code, or WORLD to ask about everywhere at once. */
  territory: string;
  /** A medium, or `any` to ask about every medium at once. */
  media: Medium;
  /** Calendar date of the use, YYYY-MM-DD, in the licence's own calendar (see coversUse). */
  at: string;
}

/** True when some single use (right, territory, medium, day) falls within both licences. Symmetric. */
export function termsOverlap(a: LicenceTerms, b: LicenceTerms): boolean {
  return scopesMeet(normaliseTerms(a, 'a.'), normaliseTerms(b, 'b.'));
}

/**
 * Whether `newTerms` may be granted alongside `existing` (the other live
 * licences on the same work; the caller filters out terminated ones):
 * an exclusive licence may not overlap any other licence, a non-exclusive one
 * may not overlap an exclusive one, and two non-exclusive licences never
 * conflict. Returns the first conflicting index.
 */
export function conflicts(newTerms: LicenceTerms, existing: readonly LicenceTerms[]): ConflictResult {
  const candidate = normaliseTerms(newTerms, 'newTerms.');
  if (!Array.isArray(existing)) {
    throw new LicensingError(LicensingErrorCode.INVALID_TERMS, 'existing: must be an array', 'existing');
  }
  // Validate everything before answering, so a corrupt row anywhere is
  // reported even when an earlier row already conflicts.
  const others = existing.map((terms, i) => normaliseTerms(terms, `existing[${i}].`));
  const index = others.findIndex((other) => (candidate.exclusive || other.exclusive) && scopesMeet(candidate, other));
  return index === -1 ? { conflict: false } : { conflict: true, with: index };
}

/**
 * "Is this use licensed?": true when every use the query describes lies
 * inside the licence. For a concrete territory and medium that is plain
 * membership; a WORLD or `any` query is only covered by a WORLD or `any`
 * licence, since it asks about every territory or medium at once.
 *
 * `at` is a calendar date; converting an instant to one (e.g. in
 * Asia/Shanghai) is the caller's decision. The check is about scope only:
 * counting uses against `useCount`, and whether the licence is still in force
 * (not terminated or revoked), need state this pure function does not have.
 */
export function coversUse(terms: LicenceTerms, use: LicensedUse): boolean {
  const licence = normaliseTerms(terms, 'terms.');
  const query = validateUse(use);
  return (
    licence.rights.includes(query.right) &&
    (licence.territories.includes(WORLD) || licence.territories.includes(query.territory)) &&
    (licence.media.includes(Medium.Any) || licence.media.includes(query.media)) &&
    licence.period.start <= query.at &&
    query.at < licence.period.end
  );
}

/** The overlap predicate on already-normalised terms. */
function scopesMeet(a: LicenceTerms, b: LicenceTerms): boolean {
  return (
    a.rights.some((right) => b.rights.includes(right)) &&
    setsMeet(a.territories, b.territories, WORLD) &&
    setsMeet(a.media, b.media, Medium.Any) &&
    periodsMeet(a.period, b.period)
  );
}

function setsMeet<T>(a: readonly T[], b: readonly T[], wildcard: T): boolean {
  return a.includes(wildcard) || b.includes(wildcard) || a.some((item) => b.includes(item));
}

function periodsMeet(a: Period, b: Period): boolean {
  // Half-open intervals: [s1, e1) and [s2, e2) share a day iff s1 < e2 and s2 < e1.
  return a.start < b.end && b.start < a.end;
}

function validateUse(use: unknown): LicensedUse {
  const fail = (field: string, message: string): never => {
    throw new LicensingError(LicensingErrorCode.INVALID_USE, `use.${field}: ${message}`, `use.${field}`);
  };
  if (typeof use !== 'object' || use === null) {
    throw new LicensingError(LicensingErrorCode.INVALID_USE, 'use: must be an object', 'use');
  }
  const { right, territory, media, at } = use as Record<string, unknown>;
  if (!isRight(right)) fail('right', 'must be a licensable economic right');
  if (!(territory === WORLD || isCountryCode(territory))) fail('territory', 'must be an assigned upper-case ISO 3166-1 alpha-2 code or WORLD');
  if (!isMedium(media)) fail('media', 'must be a known medium');
  if (!isIsoDate(at)) fail('at', 'must be a valid calendar date YYYY-MM-DD');
  return { right: right as Right, territory: territory as string, media: media as Medium, at: at as string };
}
