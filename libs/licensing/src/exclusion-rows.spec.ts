import fc from 'fast-check';
import { smallTermsArb } from '../test-support/small-domain.js';
import { type ExclusionRow, type IntRange, exclusionRow, mediumKey, rightKey, territoryKey, toExclusionRowParams } from './exclusion-rows.js';
import type { LicenceTerms } from './licence-terms.js';
import { LicensingErrorCode } from './licensing-error.js';
import { MEDIA, Medium } from './media.js';
import { RIGHTS, Right } from './rights.js';
import { conflicts } from './overlap.js';
import { ISO_3166_ALPHA2 } from './territories.js';

const licence: LicenceTerms = {
  rights: [Right.Broadcast, Right.Reproduction],
  exclusive: true,
  territories: ['US', 'CO', 'CN'],
  media: [Medium.Online, Medium.Print],
  period: { start: '2024-01-01', end: '2025-01-01' },
  sublicensable: false,
};

describe('keys', () => {
  it('maps alpha-2 codes base-26', () => {
    expect(territoryKey('AA')).toBe(0);
    expect(territoryKey('CN')).toBe(2 * 26 + 13);
    expect(territoryKey('US')).toBe(20 * 26 + 18);
    expect(territoryKey('ZZ')).toBe(675);
    expect(() => territoryKey('WORLD')).toThrow(RangeError);
  });

  it('gives every assigned code a distinct key', () => {
    expect(new Set(ISO_3166_ALPHA2.map(territoryKey)).size).toBe(ISO_3166_ALPHA2.length);
  });

  it('keeps the persisted right numbers fixed and distinct: the item numbers of art. 10', () => {
    expect(Object.fromEntries(RIGHTS.map((r) => [r, rightKey(r)]))).toEqual({
      reproduction: 5,
      distribution: 6,
      rental: 7,
      exhibition: 8,
      performance: 9,
      screening: 10,
      broadcast: 11,
      information_network_dissemination: 12,
      filming: 13,
      adaptation: 14,
      translation: 15,
      compilation: 16,
    });
  });

  it('keeps the persisted medium numbers fixed and distinct', () => {
    const concrete = MEDIA.filter((m): m is Exclude<Medium, Medium.Any> => m !== Medium.Any);
    expect(Object.fromEntries(concrete.map((m) => [m, mediumKey(m)]))).toEqual({
      print: 1,
      online: 2,
      broadcast_tv: 3,
      radio: 4,
      cinema: 5,
      mobile: 6,
      physical_media: 7,
      live: 8,
    });
  });
});

describe('exclusionRow: fixtures', () => {
  it('emits one row for the licence, with merged unit ranges', () => {
    const expected: ExclusionRow = {
      rights: [
        { lower: 5, upper: 6 }, // reproduction
        { lower: 11, upper: 12 }, // broadcast
      ],
      territories: [
        { lower: 65, upper: 67 }, // CN, CO adjacent → merged
        { lower: 538, upper: 539 }, // US
      ],
      media: [{ lower: 1, upper: 3 }], // print, online
      period: { start: '2024-01-01', end: '2025-01-01' },
      exclusive: true,
    };
    expect(exclusionRow(licence)).toEqual(expected);
  });

  it('merges adjacent rights the way PostgreSQL does', () => {
    expect(exclusionRow({ ...licence, rights: [Right.Rental, Right.Reproduction, Right.Distribution] }).rights).toEqual([{ lower: 5, upper: 8 }]);
  });

  it('renders PostgreSQL literals', () => {
    expect(toExclusionRowParams(exclusionRow(licence))).toEqual({
      rights: '{[5,6),[11,12)}',
      territories: '{[65,67),[538,539)}',
      media: '{[1,3)}',
      period: '[2024-01-01,2025-01-01)',
      exclusive: true,
    });
  });

  it('represents WORLD and any as the unbounded range', () => {
    const row = exclusionRow({ ...licence, rights: [Right.Filming], territories: ['WORLD'], media: [Medium.Any] });
    expect(row.territories).toEqual([{ lower: null, upper: null }]);
    expect(toExclusionRowParams(row)).toMatchObject({ territories: '{(,)}', media: '{(,)}' });
  });

  it('validates its input', () => {
    expect(() => exclusionRow({ ...licence, media: [] })).toThrow(expect.objectContaining({ code: LicensingErrorCode.INVALID_TERMS }));
  });
});

// A model of what PostgreSQL does with the rows: the GiST exclusion constraint
// rejects an insert when some stored row has overlapping rights, territories,
// media, period and exclusivity (see exclusion-rows.ts). work_id is the same
// for all rows here.
type StoredRow = ExclusionRow & { exclusivity: IntRange };

function rangesOverlap(a: IntRange, b: IntRange): boolean {
  return (a.lower === null || b.upper === null || a.lower < b.upper) && (b.lower === null || a.upper === null || b.lower < a.upper);
}
const multirangesOverlap = (a: IntRange[], b: IntRange[]): boolean => a.some((x) => b.some((y) => rangesOverlap(x, y)));

let nextRowId = 1;
function store(row: ExclusionRow): StoredRow {
  const id = nextRowId++;
  return { ...row, exclusivity: row.exclusive ? { lower: null, upper: null } : { lower: id, upper: id + 1 } };
}

function collide(a: StoredRow, b: StoredRow): boolean {
  return (
    multirangesOverlap(a.rights, b.rights) &&
    multirangesOverlap(a.territories, b.territories) &&
    multirangesOverlap(a.media, b.media) &&
    a.period.start < b.period.end &&
    b.period.start < a.period.end &&
    rangesOverlap(a.exclusivity, b.exclusivity)
  );
}

describe('exclusionRow: the database check agrees with conflicts()', () => {
  it('reports a collision exactly against the licences conflicts() names', () => {
    fc.assert(
      fc.property(smallTermsArb, fc.array(smallTermsArb, { maxLength: 6 }), (candidate, existing) => {
        const stored = existing.map((terms) => store(exclusionRow(terms)));
        const incoming = store(exclusionRow(candidate));
        const collidingIndex = stored.findIndex((old) => collide(incoming, old));
        const result = conflicts(candidate, existing);
        expect(result).toEqual(collidingIndex === -1 ? { conflict: false } : { conflict: true, with: collidingIndex });
      }),
      { numRuns: 2000 },
    );
  });

  it('makes the rights of two licences overlap exactly when they share a right', () => {
    fc.assert(
      fc.property(smallTermsArb, smallTermsArb, (a, b) => {
        const shared = a.rights.some((right) => b.rights.includes(right));
        expect(multirangesOverlap(exclusionRow(a).rights, exclusionRow(b).rights)).toBe(shared);
      }),
    );
  });

  it('accepts exactly the sequences of grants that conflicts() accepts', () => {
    // Replays a stream of grant attempts against both models, as the service
    // would: a grant is stored only if accepted.
    fc.assert(
      fc.property(fc.array(smallTermsArb, { minLength: 1, maxLength: 10 }), (attempts) => {
        const granted: LicenceTerms[] = [];
        const table: StoredRow[] = [];
        for (const attempt of attempts) {
          const row = store(exclusionRow(attempt));
          const dbAccepts = !table.some((old) => collide(row, old));
          expect(dbAccepts).toBe(!conflicts(attempt, granted).conflict);
          if (dbAccepts) {
            granted.push(attempt);
            table.push(row);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
