// Rows for the PostgreSQL exclusion constraint that backs `conflicts()`, so
// that two concurrent transactions cannot both sell an exclusive licence: the
// TypeScript check gives a friendly answer, the database makes it race-proof.
//
// ## The scheme
//
// One row per licence. Rights, territories and media are stored as
// `int4multirange`, the period as a half-open `daterange`:
//
//   CREATE EXTENSION IF NOT EXISTS btree_gist;       -- `=` on uuid in GiST
//   CREATE TABLE licence_exclusion (
//     row_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
//     licence_id  uuid NOT NULL REFERENCES licences(id) ON DELETE CASCADE,
//     work_id     uuid NOT NULL,
//     rights      int4multirange NOT NULL,
//     territories int4multirange NOT NULL,
//     media       int4multirange NOT NULL,
//     period      daterange NOT NULL,
//     exclusive   boolean NOT NULL,
//     exclusivity int8range GENERATED ALWAYS AS (
//       CASE WHEN exclusive THEN '(,)'::int8range ELSE int8range(row_id, row_id, '[]') END
//     ) STORED,
//     EXCLUDE USING gist (work_id WITH =, rights WITH &&, territories WITH &&,
//                         media WITH &&, period WITH &&, exclusivity WITH &&)
//   );
//
// Why each column makes `&&`/`=` equivalent to `conflicts()`:
// - Scope is a product (rights × territories × media × days), so two licences
//   meet iff every factor meets. Each factor is a set, compared with `&&`.
// - Rights: each right maps to a fixed integer (rightKey: its item number in
//   art. 10 of the Copyright Law) and becomes the unit range [k, k+1); a
//   licence's rights are the union of those. Two licences share a right iff
//   their multiranges overlap.
// - Territories: each ISO code maps injectively to an integer (see
//   territoryKey) and becomes the unit range [k, k+1); a country list is the
//   union of those. WORLD is the unbounded range `(,)`, which overlaps every
//   non-empty multirange — so WORLD needs no enumeration of countries and
//   still covers codes assigned after the row was written. Two country lists
//   overlap iff they share a code.
// - Media: the same, with a fixed integer per concrete medium (mediumKey) and
//   `any` as `(,)`.
// - Period: `daterange '[start,end)'` has exactly the half-open semantics of
//   LicenceTerms.period, so `&&` means "share at least one day".
// - Exclusivity: a constraint fires only when all operators hold, but the rule
//   is "at least one of the two is exclusive", which no column-wise `=` can
//   say. An exclusive row carries `(,)`, which overlaps everything; a
//   non-exclusive row carries the singleton [row_id, row_id], which overlaps
//   only itself. So two non-exclusive rows never collide and any pair with an
//   exclusive side does.
//
// Until migration 1764940000000 there was one row per (licence, right), the
// right as text compared with `=`; the same relation, but each row is a GiST
// insert and an exclusion probe, which made it the dearest statement of a
// settlement (two rights: 0.17 ms against 0.07 ms for the one row).
//
// Obligations on the service: insert a licence's row in the same transaction
// as the licence; delete it (or shorten `period`) in the same transaction
// that terminates, revokes or shortens a licence, or the dead licence keeps
// blocking; never compute `exclusivity` in the application (it is generated).
// Needs PostgreSQL 14+ (multiranges) and the btree_gist extension.

import { type LicenceTerms, type Period, validateLicenceTerms } from './licence-terms.js';
import { Medium } from './media.js';
import { Right } from './rights.js';
import { WORLD } from './territories.js';

/** Half-open integer interval [lower, upper); `null` is an unbounded side, as in PostgreSQL. */
export interface IntRange {
  lower: number | null;
  upper: number | null;
}

export interface ExclusionRow {
  /** int4multirange: unit ranges of rightKey. */
  rights: IntRange[];
  /** int4multirange: unit ranges of territoryKey, or a single unbounded range for WORLD. */
  territories: IntRange[];
  /** int4multirange: unit ranges of mediumKey, or a single unbounded range for `any`. */
  media: IntRange[];
  /** daterange, half-open. */
  period: Period;
  exclusive: boolean;
}

/** The same row as text parameters, ready for `$n::int4multirange` / `$n::daterange` casts. */
export interface ExclusionRowParams {
  rights: string;
  territories: string;
  media: string;
  period: string;
  exclusive: boolean;
}

// Persisted in the database: the numbers must never change or be reused.
// Append new media with new numbers; the Record type makes the compiler
// demand an entry for every concrete medium.
const MEDIUM_KEYS: Readonly<Record<Exclude<Medium, Medium.Any>, number>> = Object.freeze({
  [Medium.Print]: 1,
  [Medium.Online]: 2,
  [Medium.BroadcastTv]: 3,
  [Medium.Radio]: 4,
  [Medium.Cinema]: 5,
  [Medium.Mobile]: 6,
  [Medium.PhysicalMedia]: 7,
  [Medium.Live]: 8,
});

// Persisted in the database: the numbers must never change or be reused.
// Each right's item number in art. 10 of the Copyright Law (see rights.ts).
const RIGHT_KEYS: Readonly<Record<Right, number>> = Object.freeze({
  [Right.Reproduction]: 5,
  [Right.Distribution]: 6,
  [Right.Rental]: 7,
  [Right.Exhibition]: 8,
  [Right.Performance]: 9,
  [Right.Screening]: 10,
  [Right.Broadcast]: 11,
  [Right.InformationNetworkDissemination]: 12,
  [Right.Filming]: 13,
  [Right.Adaptation]: 14,
  [Right.Translation]: 15,
  [Right.Compilation]: 16,
});

const UNBOUNDED: IntRange = Object.freeze({ lower: null, upper: null });

/**
 * Integer for an alpha-2 code: base-26 over A–Z, so AA = 0 … ZZ = 675.
 * Derived from the letters rather than a table, so it is stable forever and
 * covers codes ISO assigns later.
 */
export function territoryKey(code: string): number {
  if (!/^[A-Z]{2}$/.test(code)) throw new RangeError(`not an alpha-2 code: ${code}`);
  return (code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65);
}

export function rightKey(right: Right): number {
  const key = RIGHT_KEYS[right];
  if (key === undefined) throw new RangeError(`no key for right: ${String(right)}`);
  return key;
}

export function mediumKey(medium: Exclude<Medium, Medium.Any>): number {
  const key = MEDIUM_KEYS[medium];
  if (key === undefined) throw new RangeError(`no key for medium: ${String(medium)}`);
  return key;
}

/**
 * The row of the (re-validated) terms. See the module comment for the table
 * and constraint it is written into.
 */
export function exclusionRow(terms: LicenceTerms): ExclusionRow {
  const valid = validateLicenceTerms(terms);
  return {
    rights: unitRanges(valid.rights.map(rightKey)),
    territories: valid.territories.includes(WORLD) ? [{ ...UNBOUNDED }] : unitRanges(valid.territories.map(territoryKey)),
    media: valid.media.includes(Medium.Any) ? [{ ...UNBOUNDED }] : unitRanges(valid.media.map((m) => mediumKey(m as Exclude<Medium, Medium.Any>))),
    period: { ...valid.period },
    exclusive: valid.exclusive,
  };
}

/** Text forms in PostgreSQL's canonical output syntax, e.g. `{[52,53),[65,67)}`, `{(,)}`, `[2024-01-01,2025-01-01)`. */
export function toExclusionRowParams(row: ExclusionRow): ExclusionRowParams {
  return {
    rights: multirangeLiteral(row.rights),
    territories: multirangeLiteral(row.territories),
    media: multirangeLiteral(row.media),
    period: `[${row.period.start},${row.period.end})`,
    exclusive: row.exclusive,
  };
}

export function multirangeLiteral(ranges: readonly IntRange[]): string {
  return `{${ranges.map((r) => `${r.lower === null ? '(' : `[${r.lower}`},${r.upper ?? ''})`).join(',')}}`;
}

/**
 * Sorted unit ranges [k, k+1), with adjacent ones merged the way PostgreSQL
 * canonicalises multiranges, so the literal round-trips unchanged.
 */
function unitRanges(keys: readonly number[]): IntRange[] {
  const sorted = [...new Set(keys)].sort((a, b) => a - b);
  const ranges: IntRange[] = [];
  for (const key of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && last.upper === key) last.upper = key + 1;
    else ranges.push({ lower: key, upper: key + 1 });
  }
  return ranges;
}
