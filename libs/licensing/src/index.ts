// Public API of the licensing library: licence scope validation, overlap and
// exclusivity checks, and the rows backing the database exclusion constraint.

export { LicensingError, LicensingErrorCode } from './licensing-error.js';
export { RIGHTS, Right, isRight } from './rights.js';
export { MEDIA, Medium, isMedium } from './media.js';
export { ISO_3166_ALPHA2, WORLD, isCountryCode } from './territories.js';
export { isIsoDate } from './iso-date.js';
export { MAX_PURPOSE_LENGTH, validateLicenceTerms, type LicenceTerms, type Period } from './licence-terms.js';
export { conflicts, coversUse, termsOverlap, type ConflictResult, type LicensedUse } from './overlap.js';
export {
  exclusionRow,
  mediumKey,
  multirangeLiteral,
  rightKey,
  territoryKey,
  toExclusionRowParams,
  type ExclusionRow,
  type ExclusionRowParams,
  type IntRange,
} from './exclusion-rows.js';
