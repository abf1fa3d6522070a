// What an `infringement.confirmed` ledger entry commits to: the report, both
// sides (by registration and SHA-256, or by the sighting's URL and SHA-256),
// the similarity evidence by its canonical hash, and the officer's decision.
// The entry carries the canonical SHA-256 of this object as metadataHash; the
// evidence package carries the object, so anyone can recompute it.
import { canonicalBytes, metadataHash, type PendingEntry } from '#ledger';
import { createHash } from 'node:crypto';

export interface ConfirmationSide {
  kind: 'work' | 'sighting';
  id: string;
  sha256: string;
  registrationNumber?: string;
  ledgerIndex?: number;
  sourceUrl?: string;
}

export interface ConfirmationMetadata {
  report: string;
  original: ConfirmationSide;
  suspect: ConfirmationSide;
  match: { media: string; kind: string; score: number; evidenceSha256: string; algorithm: string };
  decision: { status: 'confirmed'; reason: string; officer: string; decidedAt: string };
}

/** Hex SHA-256 of the canonical (RFC 8785) JSON of `value`. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalBytes(value)).digest('hex');
}

export function confirmationEntry(meta: ConfirmationMetadata, rightHolders: string[], suspectParties: string[]): PendingEntry {
  return {
    kind: 'infringement.confirmed',
    subject: { type: 'infringement-report', id: meta.report },
    workSha256: meta.original.sha256,
    metadataHash: metadataHash(meta),
    parties: [
      { role: 'officer', id: meta.decision.officer },
      ...rightHolders.map((id) => ({ role: 'right-holder', id })),
      ...suspectParties.map((id) => ({ role: 'suspect', id })),
    ],
    refs: {
      originalWork: meta.original.id,
      ...(meta.original.ledgerIndex !== undefined ? { originalLedgerIndex: meta.original.ledgerIndex } : {}),
      [meta.suspect.kind === 'work' ? 'suspectWork' : 'suspectSighting']: meta.suspect.id,
      suspectSha256: meta.suspect.sha256,
      evidenceSha256: meta.match.evidenceSha256,
    },
  };
}
