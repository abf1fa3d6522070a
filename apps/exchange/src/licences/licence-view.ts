// What anyone may see of a licence: scope, parties and ledger metadata (the
// price stays with the parties, in the settlement).
import type { LicenceTerms } from '#licensing';
import { licenceMetadata } from '../settlement/ledger-entries.js';

export interface LicenceRecord {
  id: string;
  workId: string;
  licenseeId: string;
  licensors: Array<{ partyId: string; shareBp: number }>;
  terms: LicenceTerms;
  exclusive: boolean;
  status: 'active';
  listingId: string;
  settlementId: string;
  entryId: string;
  grantedAt: Date;
}

export function toLicenceView(licence: LicenceRecord) {
  return {
    id: licence.id,
    workId: licence.workId,
    licenseeId: licence.licenseeId,
    licensors: licence.licensors,
    terms: licence.terms,
    exclusive: licence.exclusive,
    status: licence.status,
    listingId: licence.listingId,
    settlementId: licence.settlementId,
    grantedAt: licence.grantedAt.toISOString(),
    /** Canonical JSON of this object hashes to the ledger entry's metadataHash. */
    ledgerMetadata: licenceMetadata(licence),
  };
}

export type LicenceView = ReturnType<typeof toLicenceView>;
