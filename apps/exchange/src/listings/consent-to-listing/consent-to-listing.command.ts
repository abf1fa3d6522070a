export interface ConsentToListingCommand {
  listingId: string;
  partyId: string;
}
