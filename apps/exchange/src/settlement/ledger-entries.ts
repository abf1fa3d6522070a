// The ledger entries a settlement appends. The metadata hashed into each
// entry is published with the licence or assignment, so anyone can recompute
// the hash from what the API shows.
import { metadataHash, type PendingEntry } from '#ledger';
import type { LicenceTerms } from '#licensing';

export interface GrantedLicence {
  id: string;
  workId: string;
  licenseeId: string;
  licensors: Array<{ partyId: string; shareBp: number }>;
  terms: LicenceTerms;
  settlementId: string;
}

export function licenceMetadata(licence: Pick<GrantedLicence, 'workId' | 'licenseeId' | 'terms'>): Record<string, unknown> {
  return { work: licence.workId, licensee: licence.licenseeId, terms: licence.terms };
}

export function licenceGrantedEntry(licence: GrantedLicence, workSha256: Buffer): PendingEntry {
  return {
    kind: 'licence.granted',
    subject: { type: 'licence', id: licence.id },
    workSha256: workSha256.toString('hex'),
    metadataHash: metadataHash(licenceMetadata(licence)),
    parties: [
      ...licence.licensors.map((l) => ({ role: 'licensor', id: l.partyId, shareBp: l.shareBp })),
      { role: 'licensee', id: licence.licenseeId },
    ],
    refs: { work: licence.workId, settlement: licence.settlementId },
  };
}

export interface Assignment {
  id: string;
  workId: string;
  assignorId: string;
  assigneeId: string;
  shareBp: number;
  settlementId: string;
}

export function assignmentMetadata(assignment: Pick<Assignment, 'workId' | 'assignorId' | 'assigneeId' | 'shareBp'>): Record<string, unknown> {
  return { work: assignment.workId, assignor: assignment.assignorId, assignee: assignment.assigneeId, shareBp: assignment.shareBp };
}

/** Subject is the work, so the transfer shows in the work's history beside its registration. */
export function ownershipTransferredEntry(assignment: Assignment, workSha256: Buffer): PendingEntry {
  return {
    kind: 'ownership.transferred',
    subject: { type: 'work', id: assignment.workId },
    workSha256: workSha256.toString('hex'),
    metadataHash: metadataHash(assignmentMetadata(assignment)),
    parties: [
      { role: 'assignor', id: assignment.assignorId, shareBp: assignment.shareBp },
      { role: 'assignee', id: assignment.assigneeId, shareBp: assignment.shareBp },
    ],
    refs: { assignment: assignment.id, settlement: assignment.settlementId },
  };
}
