// Turns licence terms from a request into validated, normalised terms, with
// the licensing library's field-level message as a 400 INVALID_TERMS.
import { AppError, ErrorCode } from '#errors';
import { LicensingError, validateLicenceTerms, type LicenceTerms } from '#licensing';

export function termsFromApi(input: unknown): LicenceTerms {
  try {
    return validateLicenceTerms(input);
  } catch (error) {
    if (error instanceof LicensingError) throw new AppError(ErrorCode.InvalidTerms, error.message, { field: error.field ?? 'terms' });
    throw error;
  }
}
