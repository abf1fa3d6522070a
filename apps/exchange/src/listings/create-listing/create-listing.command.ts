import type { LicenceTerms } from '#licensing';

/** An offer by a co-owner (origin listing) or a negotiated deal recorded by the exchange (origin deal). */
export interface CreateListingCommand {
  origin: 'listing' | 'deal';
  /** The party creating it: a co-owner for a listing, the exchange's party for a deal. */
  createdBy: string;
  workId: string;
  kind: 'licence' | 'assignment';
  /** Licences: validated terms. */
  terms?: LicenceTerms;
  /** Assignments: basis points of the work sold out of the seller's share. */
  shareBp?: number;
  /** Assignments in a deal: the co-owner selling (a listing's seller is its creator). */
  sellerId?: string;
  /** Deals: the buyer it is reserved for. */
  buyerId?: string;
  price: bigint;
  feeBp: number;
}
