import { AppError, ErrorCode } from '#errors';

/** The refusal for terms that may not coexist with an existing licence. */
export function licenceConflict(licenceId: string): AppError {
  return new AppError(ErrorCode.LicenceConflict, `These terms overlap licence ${licenceId}, and one of the two is exclusive.`, { conflictingLicenceId: licenceId });
}
