export interface PurchaseCommand {
  listingId: string;
  /** Who pays and receives the licence or share. */
  buyerId: string;
  /** 'listing': a buyer takes a public listing; 'deal': the exchange settles a deal reserved for its buyer. */
  via: 'listing' | 'deal';
  /** The exchange party settling a deal. */
  settledBy?: string;
}
