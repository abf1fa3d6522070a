export interface WithdrawListingCommand {
  listingId: string;
  /** The party asking: only the listing's creator may withdraw it. */
  partyId: string;
}
