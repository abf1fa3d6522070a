// The shape of a licence's scope, and the single gate that turns untrusted
// input (HTTP bodies, DB rows) into normalised, trustworthy terms.

import { isIsoDate } from './iso-date.js';
import { LicensingError, LicensingErrorCode } from './licensing-error.js';
import { MEDIA, Medium, isMedium } from './media.js';
import { RIGHTS, type Right, isRight } from './rights.js';
import { WORLD, isCountryCode } from './territories.js';

/** Calendar-date interval, half-open: `start` is the first licensed day, `end` the first day no longer licensed. */
export interface Period {
  start: string;
  end: string;
}

export interface LicenceTerms {
  /** Non-empty, unique; normalised into statutory (art. 10) order. */
  rights: Right[];
  exclusive: boolean;
  /** Assigned ISO 3166-1 alpha-2 codes (sorted, unique), or exactly `["WORLD"]`. */
  territories: string[];
  /** Concrete media (unique, enum order), or exactly `["any"]`. */
  media: Medium[];
  period: Period;
  sublicensable: boolean;
  /** Maximum number of uses, when the licence is use-limited. Absent means unlimited. */
  useCount?: number;
  purpose?: string;
}

/** Long enough for a sentence or two of purpose; a contract annex belongs in a document, not here. */
export const MAX_PURPOSE_LENGTH = 2000;

const KNOWN_KEYS: ReadonlySet<string> = new Set(['rights', 'exclusive', 'territories', 'media', 'period', 'sublicensable', 'useCount', 'purpose']);
const PERIOD_KEYS: ReadonlySet<string> = new Set(['start', 'end']);

/**
 * Validates and normalises licence terms. Throws `LicensingError`
 * INVALID_TERMS whose message and `field` name the offending path.
 *
 * Normal form: rights in statutory order, territories sorted, media in enum
 * order, optional fields omitted when absent, fresh arrays (no aliasing of the
 * input). Idempotent: validating normalised terms returns equal terms.
 *
 * Unknown keys are rejected rather than dropped: a misspelt `usecount` would
 * otherwise silently turn a use-limited licence into an unlimited one.
 * Mixing WORLD with countries, or `any` with concrete media, is rejected too:
 * it is either redundant or a sign the client meant something else.
 */
export function validateLicenceTerms(input: unknown): LicenceTerms {
  return normaliseTerms(input, '');
}

/**
 * Same as {@link validateLicenceTerms}, with `prefix` prepended to reported
 * field paths so errors about one licence among many say which one.
 */
export function normaliseTerms(input: unknown, prefix: string): LicenceTerms {
  const fail = (field: string, message: string): never => {
    const path = `${prefix}${field}`;
    throw new LicensingError(LicensingErrorCode.INVALID_TERMS, `${path || 'terms'}: ${message}`, path || undefined);
  };

  if (!isRecord(input)) fail('', 'must be an object');
  const terms = input as Record<string, unknown>;
  for (const key of Object.keys(terms)) {
    if (!KNOWN_KEYS.has(key)) fail(key, 'is not a recognised licence term');
  }

  const rights = uniqueList(terms.rights, 'rights', fail, isRight, 'is not a licensable economic right');
  rights.sort((a, b) => RIGHTS.indexOf(a) - RIGHTS.indexOf(b));

  const territories = uniqueList(
    terms.territories,
    'territories',
    fail,
    (t): t is string => t === WORLD || isCountryCode(t),
    'is not an assigned upper-case ISO 3166-1 alpha-2 code or WORLD',
  );
  if (territories.length > 1 && territories.includes(WORLD)) fail('territories', 'WORLD must be the only territory when present');
  territories.sort();

  const media = uniqueList(terms.media, 'media', fail, isMedium, `is not one of ${MEDIA.join(', ')}`);
  if (media.length > 1 && media.includes(Medium.Any)) fail('media', `"${Medium.Any}" must be the only medium when present`);
  media.sort((a, b) => MEDIA.indexOf(a) - MEDIA.indexOf(b));

  if (!isRecord(terms.period)) fail('period', 'must be an object with start and end dates');
  const period = terms.period as Record<string, unknown>;
  for (const key of Object.keys(period)) {
    if (!PERIOD_KEYS.has(key)) fail(`period.${key}`, 'is not a recognised period field');
  }
  if (!isIsoDate(period.start)) fail('period.start', 'must be a valid calendar date YYYY-MM-DD');
  if (!isIsoDate(period.end)) fail('period.end', 'must be a valid calendar date YYYY-MM-DD');
  const start = period.start as string;
  const end = period.end as string;
  // Fixed-width ISO dates order correctly as strings. end is exclusive, so
  // end === start would be a licence for no days at all.
  if (!(start < end)) fail('period.end', 'must be after period.start (end is exclusive)');

  if (typeof terms.exclusive !== 'boolean') fail('exclusive', 'must be a boolean');
  if (typeof terms.sublicensable !== 'boolean') fail('sublicensable', 'must be a boolean');

  const result: LicenceTerms = {
    rights,
    exclusive: terms.exclusive as boolean,
    territories,
    media,
    period: { start, end },
    sublicensable: terms.sublicensable as boolean,
  };

  // null is accepted as "absent" because nullable DB columns and JSON
  // serialisers produce it; it cannot be mistaken for a limit.
  if (terms.useCount !== undefined && terms.useCount !== null) {
    if (!Number.isSafeInteger(terms.useCount) || (terms.useCount as number) < 1) fail('useCount', 'must be a positive integer when present');
    result.useCount = terms.useCount as number;
  }
  if (terms.purpose !== undefined && terms.purpose !== null) {
    if (typeof terms.purpose !== 'string' || terms.purpose.trim() === '') fail('purpose', 'must be a non-empty string when present');
    if ((terms.purpose as string).length > MAX_PURPOSE_LENGTH) fail('purpose', `must be at most ${MAX_PURPOSE_LENGTH} characters`);
    result.purpose = terms.purpose as string;
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function uniqueList<T>(
  value: unknown,
  field: string,
  fail: (field: string, message: string) => never,
  accept: (item: unknown) => item is T,
  rejectMessage: string,
): T[] {
  if (!Array.isArray(value) || value.length === 0) fail(field, 'must be a non-empty array');
  const items = value as unknown[];
  const seen = new Set<T>();
  items.forEach((item, i) => {
    if (!accept(item)) fail(`${field}[${i}]`, `${show(item)} ${rejectMessage}`);
    if (seen.has(item as T)) fail(`${field}[${i}]`, `${show(item)} is listed more than once`);
    seen.add(item as T);
  });
  return [...seen];
}

/** Echoes a rejected value into an error message without letting it flood the log or throw. */
function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
