// What the public verification API answers about a registration (no key
// needed): enough to check, against the public ledger, that and when a file
// was registered and by whom, and whether it was later corrected or withdrawn.
// The metadata itself stays with the certificate holder; entries carry only
// its hash.

export interface PublicEntryProof {
  kind: string;
  ledgerIndex: number;
  /** Base64 canonical entry bytes. */
  entry: string;
  leafHash: string;
  inclusionProof: { index: number; treeSize: number; hashes: string[] };
}

export interface PublicRegistration {
  workId: string;
  registrationNumber: string;
  sha256: string;
  status: 'registered' | 'withdrawn';
  registeredAt: string;
  registrant: { id: string; name: string | null };
  /** Integrated entries about the work, in ledger order, proved against the answer's checkpoint. */
  entries: PublicEntryProof[];
  /** Entries written but not yet integrated (they get proofs within seconds). */
  pendingEntries: number;
  timeStamp: { response: string; genTime: string; serialNumber: string } | null;
}

export interface PublicLookup {
  /** The latest signed checkpoint; every proof above is against it. Null while the ledger is empty. */
  checkpoint: string | null;
  verifierKey: string;
  registrations: PublicRegistration[];
}
