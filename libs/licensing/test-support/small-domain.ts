// Licence terms drawn from deliberately small domains (a few rights,
// territories, media and days around a leap day), plus a brute-force model
// that expands a licence into every single use it covers. Small domains make
// collisions frequent, so the property tests actually hit the edge cases.

import fc from 'fast-check';
import type { LicenceTerms } from '../src/licence-terms.js';
import { Medium } from '../src/media.js';
import { Right } from '../src/rights.js';
import { WORLD } from '../src/territories.js';

// CN and CO are adjacent alpha-2 codes, which exercises multirange merging.
export const SMALL_TERRITORIES = ['CN', 'CO', 'HK', 'TW'] as const;
export const SMALL_MEDIA = [Medium.Print, Medium.Online, Medium.Mobile] as const;
export const SMALL_RIGHTS = [Right.Reproduction, Right.Broadcast, Right.InformationNetworkDissemination] as const;

// Stand-ins for "a territory / medium none of the listed ones is": only WORLD
// and `any` contain them, just as a real WORLD licence covers countries the
// small domain never names.
const REST_OF_WORLD = '<rest-of-world>';
const OTHER_MEDIUM = '<other-medium>';

const BASE_DAY = Date.UTC(2024, 1, 25); // 2024-02-25: ranges cross 29 Feb and 1 Mar
const DAY_MS = 86_400_000;

export function dayToIso(offset: number): string {
  return new Date(BASE_DAY + offset * DAY_MS).toISOString().slice(0, 10);
}

const subset = <T>(items: readonly T[]): fc.Arbitrary<T[]> => fc.shuffledSubarray([...items], { minLength: 1 });

export const smallTermsArb: fc.Arbitrary<LicenceTerms> = fc
  .record({
    rights: subset<Right>(SMALL_RIGHTS),
    exclusive: fc.boolean(),
    territories: fc.oneof(fc.constant<string[]>([WORLD]), subset<string>(SMALL_TERRITORIES)),
    media: fc.oneof(fc.constant<Medium[]>([Medium.Any]), subset<Medium>(SMALL_MEDIA)),
    startOffset: fc.integer({ min: 0, max: 10 }),
    length: fc.integer({ min: 1, max: 6 }),
    sublicensable: fc.boolean(),
  })
  .map(({ startOffset, length, ...rest }) => ({
    ...rest,
    period: { start: dayToIso(startOffset), end: dayToIso(startOffset + length) },
  }));

export const smallUseArb = fc.record({
  right: fc.constantFrom(...SMALL_RIGHTS),
  territory: fc.constantFrom<string>(...SMALL_TERRITORIES, WORLD),
  media: fc.constantFrom<Medium>(...SMALL_MEDIA, Medium.Any),
  at: fc.integer({ min: -1, max: 17 }).map(dayToIso),
});

/** Every (right, territory, medium, day) a licence covers, with days found by stepping a real calendar. */
export function expandUses(terms: LicenceTerms): Set<string> {
  const territories = terms.territories.includes(WORLD) ? [...SMALL_TERRITORIES, REST_OF_WORLD] : terms.territories;
  const media = terms.media.includes(Medium.Any) ? [...SMALL_MEDIA, OTHER_MEDIUM] : terms.media;
  const uses = new Set<string>();
  for (const day of daysIn(terms.period.start, terms.period.end)) {
    for (const right of terms.rights) {
      for (const territory of territories) {
        for (const medium of media) uses.add(`${right}|${territory}|${medium}|${day}`);
      }
    }
  }
  return uses;
}

/** The uses a query stands for: WORLD / `any` mean every territory / medium at once. */
export function expandQuery(use: { right: string; territory: string; media: string; at: string }): string[] {
  const territories = use.territory === WORLD ? [...SMALL_TERRITORIES, REST_OF_WORLD] : [use.territory];
  const media = use.media === Medium.Any ? [...SMALL_MEDIA, OTHER_MEDIUM] : [use.media];
  return territories.flatMap((t) => media.map((m) => `${use.right}|${t}|${m}|${use.at}`));
}

export function referenceOverlap(a: LicenceTerms, b: LicenceTerms): boolean {
  const usesA = expandUses(a);
  return [...expandUses(b)].some((use) => usesA.has(use));
}

export function referenceConflict(candidate: LicenceTerms, existing: readonly LicenceTerms[]): number {
  return existing.findIndex((other) => (candidate.exclusive || other.exclusive) && referenceOverlap(candidate, other));
}

function daysIn(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t < Date.parse(`${end}T00:00:00Z`); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
