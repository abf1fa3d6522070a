// Domain error for the licensing library: callers map `code` to transport-level
// responses; this module deliberately knows nothing about HTTP.

export enum LicensingErrorCode {
  /** Licence terms failed validation; `field` names the offending path. */
  INVALID_TERMS = 'INVALID_TERMS',
  /** A "is this use licensed?" query was malformed; `field` names the offending path. */
  INVALID_USE = 'INVALID_USE',
}

export class LicensingError extends Error {
  readonly code: LicensingErrorCode;
  /** Dotted path of the offending input, e.g. `period.end` or `territories[2]`. */
  readonly field: string | undefined;

  constructor(code: LicensingErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'LicensingError';
    this.code = code;
    this.field = field;
  }
}
