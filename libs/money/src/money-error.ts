// Domain error for the money library: callers map `code` to transport-level
// responses; this module deliberately knows nothing about HTTP.

export enum MoneyErrorCode {
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  SHARES_INVALID = 'SHARES_INVALID',
  FEE_INVALID = 'FEE_INVALID',
}

export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.name = 'MoneyError';
    this.code = code;
  }
}
