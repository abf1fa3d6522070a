// Assembles a certificate from what the registry has loaded. The shown
// metadata is derived here, by the same replay the verifier performs, so a
// certificate cannot show details the ledger does not back.
import {
  CERTIFICATE_FORMAT,
  CERTIFICATE_VERSION,
  type CertificateDocument,
  type CertificateEntry,
  type CertificateTimeStamp,
} from './certificate-document.js';
import { currentMetadata, type MetadataChanges } from './registration-metadata.js';

export interface CertificateParts {
  issuedAt: Date;
  verifyUrl: string;
  work: Omit<CertificateDocument['work'], 'metadata'>;
  verifierKey: string;
  checkpoint: string;
  /** Every integrated entry about the work; the work.registered one must carry its metadata. */
  entries: CertificateEntry[];
  timeStamp: CertificateTimeStamp | null;
}

export function buildCertificate(parts: CertificateParts): CertificateDocument {
  const entries = [...parts.entries].sort((a, b) => a.ledgerIndex - b.ledgerIndex);
  const registration = entries.find((e) => e.kind === 'work.registered');
  if (!registration?.metadata) throw new Error(`work ${parts.work.id} has no integrated work.registered entry with metadata`);
  const amendments = entries.filter((e) => e.kind === 'work.amended').map((e) => ({ changes: (e.metadata?.changes ?? {}) as MetadataChanges }));
  return {
    format: CERTIFICATE_FORMAT,
    version: CERTIFICATE_VERSION,
    issuedAt: parts.issuedAt.toISOString(),
    verifyUrl: parts.verifyUrl,
    work: { ...parts.work, metadata: currentMetadata(registration.metadata, amendments) },
    ledger: { verifierKey: parts.verifierKey, checkpoint: parts.checkpoint },
    entries,
    timeStamp: parts.timeStamp,
  };
}
