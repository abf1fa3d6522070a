// Public API of the RFC 3161 time-stamp library: credentials, requests,
// the issuing authority and the offline verifier.
export { DEFAULT_TSA_POLICY_OID, type TimeStampHashAlgorithm } from './asn1-oids.js';
export {
  PKI_FAILURE_INFO_BITS,
  PKI_STATUS,
  type PkiFailureInfo,
  type PkiStatusName,
} from './pki-status.js';
export {
  generateTsaCredentials,
  loadTsaCredentials,
  TsaCredentialsError,
  type GeneratedTsaCredentials,
  type GenerateTsaCredentialsOptions,
  type TsaCredentialPems,
  type TsaCredentials,
} from './tsa-credentials.js';
export {
  createTimeStampRequest,
  parseTimeStampRequest,
  TimeStampRequestError,
  type CreateTimeStampRequestOptions,
  type TimeStampRequest,
  type TimeStampRequestErrorCode,
} from './time-stamp-request.js';
export {
  TimeStampAuthority,
  TimeStampIssueError,
  type IssueResult,
  type Sha256TimeStamp,
  type TimeStampAccuracy,
  type TimeStampAuthorityOptions,
} from './time-stamp-authority.js';
export {
  verifyTimeStampResponse,
  verifyTimeStampToken,
  type TimeStampVerification,
  type VerificationCheck,
  type VerifyTimeStampOptions,
} from './time-stamp-verifier.js';
export {
  loadOrCreateTsaCredentials,
  tsaCredentialsDir,
  type LoadedTsaCredentials,
  type TsaCredentialFiles,
} from './tsa-credentials-file.js';
