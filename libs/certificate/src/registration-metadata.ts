// The metadata objects hashed into work.amended and work.withdrawn entries,
// and how amendments change a registration's metadata. The registry writes
// with these functions and the verifier replays them, so both sides agree on
// what "the current metadata" of a registration is.

/** Fields a supplementary registration may correct or add. Owners change only through the exchange. */
export const AMENDABLE_FIELDS = ['title', 'type', 'authors', 'completedOn', 'publication', 'description', 'derivedFrom'] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

/** Fields that may be removed by an amendment (set to null); the others are required. */
export const REMOVABLE_FIELDS: readonly AmendableField[] = ['completedOn', 'publication', 'description', 'derivedFrom'];

export type MetadataChanges = Partial<Record<AmendableField, unknown>>;

export interface AmendmentMetadata {
  registrationNumber: string;
  /** 1 for the first amendment of the registration, then 2, 3, ... */
  amendment: number;
  reason: string;
  /** New values; null removes an optional field. */
  changes: MetadataChanges;
}

export interface WithdrawalMetadata {
  registrationNumber: string;
  reason: string;
}

export function amendmentMetadata(registrationNumber: string, amendment: number, reason: string, changes: MetadataChanges): AmendmentMetadata {
  return { registrationNumber, amendment, reason, changes };
}

export function withdrawalMetadata(registrationNumber: string, reason: string): WithdrawalMetadata {
  return { registrationNumber, reason };
}

/** The metadata after `changes`: a new object; null removes a field, anything else replaces it. */
export function applyChanges(metadata: Record<string, unknown>, changes: MetadataChanges): Record<string, unknown> {
  const next: Record<string, unknown> = { ...metadata };
  for (const field of AMENDABLE_FIELDS) {
    if (!(field in changes)) continue;
    const value = changes[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
}

/** Replays amendments, oldest first, on the metadata hashed into work.registered. */
export function currentMetadata(registration: Record<string, unknown>, amendments: ReadonlyArray<{ changes: MetadataChanges }>): Record<string, unknown> {
  return amendments.reduce<Record<string, unknown>>((metadata, amendment) => applyChanges(metadata, amendment.changes), registration);
}
