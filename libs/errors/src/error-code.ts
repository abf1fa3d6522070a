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
  IdempotencyKeyRequired = 'IDEMPOTENCY_KEY_REQUIRED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyInProgress = 'IDEMPOTENCY_IN_PROGRESS',
  InvalidAmount = 'INVALID_AMOUNT',
  InvalidTerms = 'INVALID_TERMS',
  AccountNotFound = 'ACCOUNT_NOT_FOUND',
  InsufficientFunds = 'INSUFFICIENT_FUNDS',
  DuplicateExternalRef = 'DUPLICATE_EXTERNAL_REF',
  ListingNotFound = 'LISTING_NOT_FOUND',
  ListingNotAvailable = 'LISTING_NOT_AVAILABLE',
  WorkNotListable = 'WORK_NOT_LISTABLE',
  NotWorkOwner = 'NOT_WORK_OWNER',
  ConsentRequired = 'CONSENT_REQUIRED',
  ConsentNotExpected = 'CONSENT_NOT_EXPECTED',
  OwnersChanged = 'OWNERS_CHANGED',
  BuyerIsOwner = 'BUYER_IS_OWNER',
  ShareNotHeld = 'SHARE_NOT_HELD',
  LicenceConflict = 'LICENCE_CONFLICT',
  LicenceNotFound = 'LICENCE_NOT_FOUND',
  ConcurrentUpdate = 'CONCURRENT_UPDATE',
  WorkWithdrawn = 'WORK_WITHDRAWN',
  LedgerEntryPending = 'LEDGER_ENTRY_PENDING',
  TimeStampNotFound = 'TIMESTAMP_NOT_FOUND',
  /** Stored ledger rows disagree with the signed checkpoints: proofs are refused, not served wrong. */
  LedgerInconsistent = 'LEDGER_INCONSISTENT',
  ReportNotFound = 'REPORT_NOT_FOUND',
  SightingNotFound = 'SIGHTING_NOT_FOUND',
  DisputeNotFound = 'DISPUTE_NOT_FOUND',
  InvalidStatusChange = 'INVALID_STATUS_CHANGE',
  ReportLicensed = 'REPORT_LICENSED',
  DisputeAlreadyOpen = 'DISPUTE_ALREADY_OPEN',
  DisputeClosed = 'DISPUTE_CLOSED',
  OwnWorkDispute = 'OWN_WORK_DISPUTE',
  UnsupportedContent = 'UNSUPPORTED_CONTENT',
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
    case ErrorCode.IdempotencyKeyRequired:
    case ErrorCode.InvalidAmount:
    case ErrorCode.InvalidTerms:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.NotWorkOwner:
    case ErrorCode.ConsentNotExpected:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.WorkNotFound:
    case ErrorCode.ApiKeyNotFound:
    case ErrorCode.EntryNotFound:
    case ErrorCode.NoCheckpoint:
    case ErrorCode.AccountNotFound:
    case ErrorCode.ListingNotFound:
    case ErrorCode.LicenceNotFound:
    case ErrorCode.TimeStampNotFound:
    case ErrorCode.ReportNotFound:
    case ErrorCode.SightingNotFound:
    case ErrorCode.DisputeNotFound:
      return 404;
    case ErrorCode.IdempotencyInProgress:
    case ErrorCode.InsufficientFunds:
    case ErrorCode.DuplicateExternalRef:
    case ErrorCode.ListingNotAvailable:
    case ErrorCode.WorkNotListable:
    case ErrorCode.ConsentRequired:
    case ErrorCode.OwnersChanged:
    case ErrorCode.ShareNotHeld:
    case ErrorCode.LicenceConflict:
    case ErrorCode.ConcurrentUpdate:
    case ErrorCode.WorkWithdrawn:
    case ErrorCode.LedgerEntryPending:
    case ErrorCode.InvalidStatusChange:
    case ErrorCode.ReportLicensed:
    case ErrorCode.DisputeAlreadyOpen:
    case ErrorCode.DisputeClosed:
      return 409;
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.UploadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
    case ErrorCode.UnsupportedContent:
      return 415;
    case ErrorCode.PartyNotFound:
    case ErrorCode.DerivedFromNotFound:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.BuyerIsOwner:
    case ErrorCode.OwnWorkDispute:
      return 422;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.ServiceUnavailable:
    case ErrorCode.LedgerInconsistent:
      return 503;
    case ErrorCode.Internal:
      return 500;
  }
}
