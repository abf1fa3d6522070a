// A listing: an offer of a licence (on fixed terms) or of an assignment of
// one co-owner's share, at a price; a negotiated deal is a listing reserved
// for one buyer. Exclusive licences, assignments and deals need the consent
// of every co-owner (and a deal that of its buyer) before they can be sold.
import type { LicenceTerms } from '#licensing';

export type ListingKind = 'licence' | 'assignment';
export type ListingStatus = 'awaiting_consent' | 'active' | 'sold' | 'withdrawn';

export interface ListingConsent {
  partyId: string;
  role: 'owner' | 'buyer';
  consentedAt: Date | null;
}

export interface Listing {
  id: string;
  workId: string;
  kind: ListingKind;
  origin: 'listing' | 'deal';
  createdBy: string;
  /** Assignments: whose share is sold, and how much of it. */
  sellerId: string | null;
  shareBp: number | null;
  terms: LicenceTerms | null;
  exclusive: boolean;
  price: bigint;
  feeBp: number;
  reservedFor: string | null;
  consentRequired: boolean;
  status: ListingStatus;
  createdAt: Date;
  consents: ListingConsent[];
}
