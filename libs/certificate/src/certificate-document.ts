// The registration certificate: one self-contained JSON document that proves a
// registration (and its corrections) offline. Everything a verifier needs is
// inside: the canonical ledger entries, their inclusion proofs, one signed
// checkpoint that covers them all, the metadata whose hashes the entries
// carry, and the RFC 3161 time-stamp response. Format changes get a new
// version; verifiers refuse versions they do not know.

export const CERTIFICATE_FORMAT = 'copyright-ledger/registration-certificate';
export const CERTIFICATE_VERSION = 1;

export interface CertificateInclusionProof {
  index: number;
  treeSize: number;
  /** Base64 RFC 9162 audit path, leaf side first. */
  hashes: string[];
}

export interface CertificateEntry {
  kind: string;
  ledgerIndex: number;
  /** Base64 of the canonical (RFC 8785) entry bytes: the Merkle leaf. */
  entry: string;
  /** Base64 SHA-256(0x00 || entry). */
  leafHash: string;
  /** Inclusion in the tree of the certificate's checkpoint. */
  inclusionProof: CertificateInclusionProof;
  /**
   * The object whose canonical hash is the entry's metadataHash: present for
   * work.registered, work.amended and work.withdrawn; absent for entries
   * written by other parts of the system (transfers, licences).
   */
  metadata?: Record<string, unknown>;
}

export interface CertificateParty {
  id: string;
  /** Display name at the time of issue (not part of the ledger). */
  name: string | null;
}

export interface CertificateTimeStamp {
  /** Base64 DER TimeStampResp over the work's SHA-256 (`openssl ts -verify -in`). */
  response: string;
  genTime: string;
  serialNumber: string;
  /** The TSA's trust anchor and signing certificate, as published at /v1/tsa/certs. */
  caCertPem: string;
  tsaCertPem: string;
}

export interface CertificateDocument {
  format: typeof CERTIFICATE_FORMAT;
  version: typeof CERTIFICATE_VERSION;
  issuedAt: string;
  /** The public verification page for this work. */
  verifyUrl: string;
  work: {
    id: string;
    registrationNumber: string;
    /** Lower-case hex SHA-256 of the work's content. */
    sha256: string;
    status: 'registered' | 'withdrawn';
    registeredAt: string;
    registrant: CertificateParty;
    /** Current owners; at registration they are the owner parties of the work.registered entry. */
    owners: Array<CertificateParty & { shareBp: number }>;
    /** Registration metadata with every amendment applied, in order. */
    metadata: Record<string, unknown>;
  };
  ledger: {
    /** C2SP verifier key of the checkpoint signer (pin your own copy: see the verify command). */
    verifierKey: string;
    /** C2SP signed checkpoint note whose tree contains every entry below. */
    checkpoint: string;
  };
  /** Every ledger entry about the work, in ledger order; the first is work.registered. */
  entries: CertificateEntry[];
  /** Null only for works registered while registration time-stamps were switched off. */
  timeStamp: CertificateTimeStamp | null;
}

export class CertificateFormatError extends Error {
  override readonly name = 'CertificateFormatError';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Checks the shape of a parsed certificate (types and required fields, not
 * cryptography) and returns it typed; throws CertificateFormatError naming the
 * first problem.
 */
export function parseCertificateDocument(value: unknown): CertificateDocument {
  const fail = (why: string): never => {
    throw new CertificateFormatError(why);
  };
  if (!isObject(value)) return fail('certificate is not a JSON object');
  if (value.format !== CERTIFICATE_FORMAT) fail(`not a registration certificate (format ${JSON.stringify(value.format)})`);
  if (value.version !== CERTIFICATE_VERSION) fail(`unsupported certificate version ${JSON.stringify(value.version)}; this verifier reads version ${CERTIFICATE_VERSION}`);
  const { work, ledger, entries, timeStamp } = value;
  if (!isObject(work)) return fail('work is missing');
  for (const field of ['id', 'registrationNumber', 'sha256', 'status', 'registeredAt'] as const) {
    if (!isString(work[field])) fail(`work.${field} is missing`);
  }
  if (!/^[0-9a-f]{64}$/.test(work.sha256 as string)) fail('work.sha256 is not 64 lower-case hex digits');
  if (!isObject(work.registrant) || !isString(work.registrant.id)) fail('work.registrant is missing');
  if (!Array.isArray(work.owners)) fail('work.owners is missing');
  if (!isObject(work.metadata)) fail('work.metadata is missing');
  if (!isObject(ledger) || !isString(ledger.verifierKey) || !isString(ledger.checkpoint)) return fail('ledger.verifierKey or ledger.checkpoint is missing');
  if (!Array.isArray(entries) || entries.length === 0) return fail('entries are missing');
  entries.forEach((entry, i) => {
    if (!isObject(entry)) return fail(`entries[${i}] is not an object`);
    if (!isString(entry.kind) || !isIndex(entry.ledgerIndex) || !isString(entry.entry) || !isString(entry.leafHash)) {
      fail(`entries[${i}] lacks kind, ledgerIndex, entry or leafHash`);
    }
    const proof = entry.inclusionProof;
    if (!isObject(proof) || !isIndex(proof.index) || !isIndex(proof.treeSize) || !Array.isArray(proof.hashes) || !proof.hashes.every(isString)) {
      fail(`entries[${i}].inclusionProof is malformed`);
    }
    if (entry.metadata !== undefined && !isObject(entry.metadata)) fail(`entries[${i}].metadata is not an object`);
  });
  if (timeStamp !== null) {
    if (!isObject(timeStamp)) return fail('timeStamp is missing (use null when there is none)');
    for (const field of ['response', 'genTime', 'serialNumber', 'caCertPem', 'tsaCertPem'] as const) {
      if (!isString(timeStamp[field])) fail(`timeStamp.${field} is missing`);
    }
  }
  return value as unknown as CertificateDocument;
}
