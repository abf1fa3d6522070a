import fc from 'fast-check';
import { smallTermsArb } from '../test-support/small-domain.js';
import { MAX_PURPOSE_LENGTH, validateLicenceTerms } from './licence-terms.js';
import { LicensingError, LicensingErrorCode } from './licensing-error.js';
import { Medium } from './media.js';
import { Right } from './rights.js';

const valid = {
  rights: ['broadcast', 'reproduction'],
  exclusive: true,
  territories: ['TW', 'CN', 'HK'],
  media: ['online', 'print'],
  period: { start: '2024-01-01', end: '2025-01-01' },
  sublicensable: false,
};

function rejection(input: unknown): LicensingError {
  try {
    validateLicenceTerms(input);
  } catch (error) {
    expect(error).toBeInstanceOf(LicensingError);
    expect((error as LicensingError).code).toBe(LicensingErrorCode.INVALID_TERMS);
    return error as LicensingError;
  }
  throw new Error('expected validateLicenceTerms to throw');
}

describe('validateLicenceTerms', () => {
  it('normalises order and copies the input', () => {
    const terms = validateLicenceTerms(valid);
    expect(terms).toEqual({
      rights: [Right.Reproduction, Right.Broadcast],
      exclusive: true,
      territories: ['CN', 'HK', 'TW'],
      media: [Medium.Print, Medium.Online],
      period: { start: '2024-01-01', end: '2025-01-01' },
      sublicensable: false,
    });
    expect(terms.territories).not.toBe(valid.territories);
    expect(valid.territories).toEqual(['TW', 'CN', 'HK']); // input untouched
    expect('useCount' in terms).toBe(false);
  });

  it('keeps optional fields when present and treats null as absent', () => {
    expect(validateLicenceTerms({ ...valid, useCount: 3, purpose: 'Campus anthology' })).toMatchObject({ useCount: 3, purpose: 'Campus anthology' });
    const nulls = validateLicenceTerms({ ...valid, useCount: null, purpose: null });
    expect('useCount' in nulls || 'purpose' in nulls).toBe(false);
  });

  it('accepts WORLD and any as sole values', () => {
    expect(validateLicenceTerms({ ...valid, territories: ['WORLD'], media: ['any'] })).toMatchObject({ territories: ['WORLD'], media: ['any'] });
  });

  it.each([
    ['terms', null],
    ['terms', []],
    ['sublicenseable', { ...valid, sublicenseable: true }],
    ['usecount', { ...valid, usecount: 5 }],
    ['rights', { ...valid, rights: [] }],
    ['rights', { ...valid, rights: 'reproduction' }],
    ['rights[1]', { ...valid, rights: ['reproduction', 'attribution'] }],
    ['rights[1]', { ...valid, rights: ['reproduction', 'reproduction'] }],
    ['exclusive', { ...valid, exclusive: 'true' }],
    ['exclusive', { ...valid, exclusive: undefined }],
    ['territories', { ...valid, territories: [] }],
    ['territories[0]', { ...valid, territories: ['cn'] }],
    ['territories[0]', { ...valid, territories: ['UK'] }],
    ['territories[0]', { ...valid, territories: ['World'] }],
    ['territories[1]', { ...valid, territories: ['CN', 'CN'] }],
    ['territories', { ...valid, territories: ['WORLD', 'CN'] }],
    ['media[0]', { ...valid, media: ['television'] }],
    ['media', { ...valid, media: ['any', 'print'] }],
    ['media[1]', { ...valid, media: ['print', 'print'] }],
    ['period', { ...valid, period: undefined }],
    ['period', { ...valid, period: ['2024-01-01', '2025-01-01'] }],
    ['period.start', { ...valid, period: { start: '2023-02-29', end: '2024-01-01' } }],
    ['period.start', { ...valid, period: { start: '2024-01-01T00:00:00Z', end: '2025-01-01' } }],
    ['period.end', { ...valid, period: { start: '2024-01-01', end: '2024-13-01' } }],
    ['period.end', { ...valid, period: { start: '2024-01-01', end: '2024-01-01' } }],
    ['period.end', { ...valid, period: { start: '2024-06-01', end: '2024-01-01' } }],
    ['period.until', { ...valid, period: { start: '2024-01-01', end: '2025-01-01', until: '2026-01-01' } }],
    ['sublicensable', { ...valid, sublicensable: 0 }],
    ['useCount', { ...valid, useCount: 0 }],
    ['useCount', { ...valid, useCount: 1.5 }],
    ['useCount', { ...valid, useCount: '3' }],
    ['useCount', { ...valid, useCount: 2 ** 53 }],
    ['purpose', { ...valid, purpose: '   ' }],
    ['purpose', { ...valid, purpose: 42 }],
    ['purpose', { ...valid, purpose: 'x'.repeat(MAX_PURPOSE_LENGTH + 1) }],
  ])('rejects a bad %s', (field, input) => {
    const error = rejection(input);
    expect(error.field ?? 'terms').toBe(field);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('survives hostile values in error messages', () => {
    expect(rejection({ ...valid, territories: [10n] }).field).toBe('territories[0]');
    expect(rejection({ ...valid, territories: [Object.create(null)] }).field).toBe('territories[0]');
    expect(rejection({ ...valid, territories: ['A'.repeat(10_000)] }).message.length).toBeLessThan(200);
  });

  it('is idempotent and independent of list order', () => {
    fc.assert(
      fc.property(smallTermsArb, (terms) => {
        const once = validateLicenceTerms(terms);
        expect(validateLicenceTerms(once)).toEqual(once);
        const reversed = { ...terms, rights: [...terms.rights].reverse(), territories: [...terms.territories].reverse(), media: [...terms.media].reverse() };
        expect(validateLicenceTerms(reversed)).toEqual(once);
      }),
    );
  });
});
