import fc from 'fast-check';
import { expandQuery, expandUses, referenceConflict, referenceOverlap, smallTermsArb, smallUseArb } from '../test-support/small-domain.js';
import type { LicenceTerms } from './licence-terms.js';
import { LicensingError, LicensingErrorCode } from './licensing-error.js';
import { Medium } from './media.js';
import { Right } from './rights.js';
import { conflicts, coversUse, termsOverlap } from './overlap.js';

const base: LicenceTerms = {
  rights: [Right.Reproduction],
  exclusive: false,
  territories: ['CN'],
  media: [Medium.Print],
  period: { start: '2024-01-01', end: '2024-02-01' },
  sublicensable: false,
};
const terms = (overrides: Partial<LicenceTerms>): LicenceTerms => ({ ...base, ...overrides });

describe('termsOverlap: fixtures', () => {
  it('overlaps identical terms', () => {
    expect(termsOverlap(base, base)).toBe(true);
  });

  it('treats the period end as exclusive', () => {
    expect(termsOverlap(base, terms({ period: { start: '2024-02-01', end: '2024-03-01' } }))).toBe(false);
    expect(termsOverlap(base, terms({ period: { start: '2024-01-31', end: '2024-03-01' } }))).toBe(true);
    expect(termsOverlap(base, terms({ period: { start: '2023-01-01', end: '2024-01-01' } }))).toBe(false);
    expect(termsOverlap(base, terms({ period: { start: '2023-01-01', end: '2024-01-02' } }))).toBe(true);
  });

  it('needs a shared right', () => {
    expect(termsOverlap(base, terms({ rights: [Right.Distribution, Right.Translation] }))).toBe(false);
    expect(termsOverlap(base, terms({ rights: [Right.Distribution, Right.Reproduction] }))).toBe(true);
  });

  it('lets WORLD meet every territory but keeps countries apart', () => {
    expect(termsOverlap(base, terms({ territories: ['HK'] }))).toBe(false);
    expect(termsOverlap(base, terms({ territories: ['WORLD'] }))).toBe(true);
    expect(termsOverlap(terms({ territories: ['WORLD'] }), terms({ territories: ['WORLD'] }))).toBe(true);
    expect(termsOverlap(terms({ territories: ['HK', 'MO'] }), terms({ territories: ['MO', 'TW'] }))).toBe(true);
  });

  it('lets any meet every medium but keeps media apart', () => {
    expect(termsOverlap(base, terms({ media: [Medium.Online] }))).toBe(false);
    expect(termsOverlap(base, terms({ media: [Medium.Any] }))).toBe(true);
    expect(termsOverlap(terms({ media: [Medium.Live] }), terms({ media: [Medium.Any] }))).toBe(true);
  });

  it('fails closed on unvalidated terms instead of answering "no overlap"', () => {
    expect(() => termsOverlap(base, terms({ territories: ['cn'] }))).toThrow(
      expect.objectContaining({ code: LicensingErrorCode.INVALID_TERMS, field: 'b.territories[0]' }),
    );
  });
});

describe('conflicts: fixtures', () => {
  const exclusive = terms({ exclusive: true });

  it('lets non-exclusive licences coexist', () => {
    expect(conflicts(base, [base, base])).toEqual({ conflict: false });
  });

  it('blocks an exclusive licence over an overlapping non-exclusive one', () => {
    expect(conflicts(exclusive, [terms({ territories: ['HK'] }), base])).toEqual({ conflict: true, with: 1 });
  });

  it('blocks a non-exclusive licence inside an exclusive one', () => {
    expect(conflicts(terms({ territories: ['WORLD'], media: [Medium.Any] }), [exclusive])).toEqual({ conflict: true, with: 0 });
  });

  it('allows exclusive licences that are disjoint in any one dimension', () => {
    const existing = [
      terms({ exclusive: true, territories: ['HK'] }),
      terms({ exclusive: true, media: [Medium.Online] }),
      terms({ exclusive: true, rights: [Right.Translation] }),
      terms({ exclusive: true, period: { start: '2024-02-01', end: '2025-01-01' } }),
    ];
    expect(conflicts(exclusive, existing)).toEqual({ conflict: false });
  });

  it('reports the first conflicting index', () => {
    expect(conflicts(exclusive, [terms({ territories: ['HK'] }), base, exclusive])).toEqual({ conflict: true, with: 1 });
  });

  it('rejects a corrupt existing licence even after an earlier conflict', () => {
    expect(() => conflicts(exclusive, [base, terms({ period: { start: '2024-02-01', end: '2024-01-01' } })])).toThrow(
      expect.objectContaining({ code: LicensingErrorCode.INVALID_TERMS, field: 'existing[1].period.end' }),
    );
  });

  it('answers no conflict against no licences', () => {
    expect(conflicts(exclusive, [])).toEqual({ conflict: false });
  });
});

describe('coversUse: fixtures', () => {
  const use = { right: Right.Reproduction, territory: 'CN', media: Medium.Print, at: '2024-01-15' };

  it('covers a use inside every dimension', () => {
    expect(coversUse(base, use)).toBe(true);
  });

  it('includes the start day and excludes the end day', () => {
    expect(coversUse(base, { ...use, at: '2024-01-01' })).toBe(true);
    expect(coversUse(base, { ...use, at: '2024-01-31' })).toBe(true);
    expect(coversUse(base, { ...use, at: '2024-02-01' })).toBe(false);
    expect(coversUse(base, { ...use, at: '2023-12-31' })).toBe(false);
  });

  it('checks right, territory and medium', () => {
    expect(coversUse(base, { ...use, right: Right.Distribution })).toBe(false);
    expect(coversUse(base, { ...use, territory: 'HK' })).toBe(false);
    expect(coversUse(base, { ...use, media: Medium.Online })).toBe(false);
  });

  it('lets WORLD and any licences cover concrete uses, but not the reverse', () => {
    const blanket = terms({ territories: ['WORLD'], media: [Medium.Any] });
    expect(coversUse(blanket, { ...use, territory: 'US', media: Medium.Live })).toBe(true);
    expect(coversUse(blanket, { ...use, territory: 'WORLD', media: Medium.Any })).toBe(true);
    expect(coversUse(base, { ...use, territory: 'WORLD' })).toBe(false);
    expect(coversUse(base, { ...use, media: Medium.Any })).toBe(false);
  });

  it.each([
    ['use.right', { ...use, right: 'copying' }],
    ['use.territory', { ...use, territory: 'cn' }],
    ['use.media', { ...use, media: 'tv' }],
    ['use.at', { ...use, at: '2024-02-30' }],
    ['use.at', { ...use, at: new Date('2024-01-15') }],
  ])('rejects a malformed %s with INVALID_USE', (field, query) => {
    expect(() => coversUse(base, query as never)).toThrow(expect.objectContaining({ code: LicensingErrorCode.INVALID_USE, field }));
  });

  it('rejects unvalidated terms with INVALID_TERMS', () => {
    expect(() => coversUse(terms({ rights: [] }), use)).toThrow(LicensingError);
  });
});

describe('overlap: properties on small domains', () => {
  it('termsOverlap is symmetric', () => {
    fc.assert(
      fc.property(smallTermsArb, smallTermsArb, (a, b) => {
        expect(termsOverlap(a, b)).toBe(termsOverlap(b, a));
      }),
      { numRuns: 2000 },
    );
  });

  it('termsOverlap agrees with the use-by-use, day-by-day reference', () => {
    fc.assert(
      fc.property(smallTermsArb, smallTermsArb, (a, b) => {
        expect(termsOverlap(a, b)).toBe(referenceOverlap(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('conflicts agrees with the reference, including the reported index', () => {
    fc.assert(
      fc.property(smallTermsArb, fc.array(smallTermsArb, { maxLength: 6 }), (candidate, existing) => {
        const index = referenceConflict(candidate, existing);
        expect(conflicts(candidate, existing)).toEqual(index === -1 ? { conflict: false } : { conflict: true, with: index });
      }),
      { numRuns: 1000 },
    );
  });

  it('coversUse agrees with the reference set of covered uses', () => {
    fc.assert(
      fc.property(smallTermsArb, smallUseArb, (licence, use) => {
        const covered = expandUses(licence);
        expect(coversUse(licence, use)).toBe(expandQuery(use).every((u) => covered.has(u)));
      }),
      { numRuns: 3000 },
    );
  });

  it('a use covered by two licences means they overlap', () => {
    fc.assert(
      fc.property(smallTermsArb, smallTermsArb, smallUseArb, (a, b, use) => {
        if (coversUse(a, use) && coversUse(b, use)) expect(termsOverlap(a, b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
