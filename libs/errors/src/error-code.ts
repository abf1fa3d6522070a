// Stable error codes clients can branch on. Renaming one breaks clients:
// add new codes, never change the meaning of an existing one.
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidJson = 'INVALID_JSON',
  InvalidHash = 'INVALID_HASH',
  InvalidShares = 'INVALID_SHARES',
  InvalidRange = 'INVALID_RANGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UploadTooLarge = 'UPLOAD_TOO_LARGE',
  UploadMissingFile = 'UPLOAD_MISSING_FILE',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  WorkNotFound = 'WORK_NOT_FOUND',
  PartyNotFound = 'PARTY_NOT_FOUND',
  ApiKeyNotFound = 'API_KEY_NOT_FOUND',
  DerivedFromNotFound = 'DERIVED_FROM_NOT_FOUND',
  EntryNotFound = 'ENTRY_NOT_FOUND',
  NoCheckpoint = 'NO_CHECKPOINT',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

/** The HTTP status for each code; the switch is exhaustive so a new code cannot be forgotten. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.InvalidJson:
    case ErrorCode.InvalidHash:
    case ErrorCode.InvalidShares:
    case ErrorCode.InvalidRange:
    case ErrorCode.UploadMissingFile:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.WorkNotFound:
    case ErrorCode.ApiKeyNotFound:
    case ErrorCode.EntryNotFound:
    case ErrorCode.NoCheckpoint:
      return 404;
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.UploadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.PartyNotFound:
    case ErrorCode.DerivedFromNotFound:
      return 422;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.Internal:
      return 500;
  }
}
