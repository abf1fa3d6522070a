// What the API shows of a work, and the metadata object whose canonical hash
// goes into the ledger entry (the certificate carries the same object, so
// anyone can recompute the hash).
import type { WorkEntity, WorkOwnerEntity } from '#persistence';

export interface WorkView {
  id: string;
  registrationNumber: string;
  sha256: string;
  title: string;
  type: string;
  authors: Array<{ name: string; role?: string }>;
  owners: Array<{ partyId: string; shareBp: number }>;
  registrantId: string;
  completedOn: string | null;
  publication: { date: string; place: string } | null;
  description: string | null;
  derivedFrom: string | null;
  status: string;
  content: { stored: boolean; sizeBytes: number | null; mediaType: string | null };
  registeredAt: string;
  priority: PriorityView | null;
}

export interface PriorityView {
  workId: string;
  registrationNumber: string;
  registrantId: string;
  registeredAt: string;
  ledgerIndex: number | null;
}

export function toPriorityView(row: { id: string; registration_number: string; registrant_id: string; created_at: Date; idx: string | null }): PriorityView {
  return {
    workId: row.id,
    registrationNumber: row.registration_number,
    registrantId: row.registrant_id,
    registeredAt: row.created_at.toISOString(),
    ledgerIndex: row.idx === null ? null : Number(row.idx),
  };
}

export function toWorkView(work: WorkEntity, owners: Array<Pick<WorkOwnerEntity, 'partyId' | 'shareBp'>>, priority: PriorityView | null): WorkView {
  return {
    id: work.id,
    registrationNumber: work.registrationNumber,
    sha256: work.sha256.toString('hex'),
    title: work.title,
    type: work.type,
    authors: work.authors,
    owners: owners.map((o) => ({ partyId: o.partyId, shareBp: o.shareBp })).sort((a, b) => b.shareBp - a.shareBp || a.partyId.localeCompare(b.partyId)),
    registrantId: work.registrantId,
    completedOn: work.completedOn,
    publication: work.publication,
    description: work.description,
    derivedFrom: work.derivedFromId,
    status: work.status,
    content: { stored: work.contentStored, sizeBytes: work.sizeBytes === null ? null : Number(work.sizeBytes), mediaType: work.mediaType },
    registeredAt: work.createdAt.toISOString(),
    priority,
  };
}

/** The registration metadata hashed into the `work.registered` entry. */
export function registrationMetadata(work: Pick<WorkEntity, 'registrationNumber' | 'title' | 'type' | 'authors' | 'completedOn' | 'publication' | 'description' | 'derivedFromId'>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    registrationNumber: work.registrationNumber,
    title: work.title,
    type: work.type,
    authors: work.authors.map((a) => (a.role ? { name: a.name, role: a.role } : { name: a.name })),
  };
  if (work.completedOn) metadata.completedOn = work.completedOn;
  if (work.publication) metadata.publication = { date: work.publication.date, place: work.publication.place };
  if (work.description) metadata.description = work.description;
  if (work.derivedFromId) metadata.derivedFrom = work.derivedFromId;
  return metadata;
}
