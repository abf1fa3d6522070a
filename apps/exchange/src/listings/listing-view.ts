// What the API shows of a listing. The fee shown is what the exchange keeps
// of the price; the rest goes to the rights holders.
import { applyFee } from '#money';
import type { Listing } from './listing.js';

export function toListingView(listing: Listing) {
  const { fee, net } = applyFee(listing.price, listing.feeBp);
  return {
    id: listing.id,
    workId: listing.workId,
    kind: listing.kind,
    origin: listing.origin,
    createdBy: listing.createdBy,
    assignment: listing.kind === 'assignment' ? { sellerId: listing.sellerId, shareBp: listing.shareBp } : null,
    terms: listing.terms,
    exclusive: listing.exclusive,
    price: listing.price.toString(),
    feeBp: listing.feeBp,
    fee: fee.toString(),
    netToRightsHolders: net.toString(),
    reservedFor: listing.reservedFor,
    consentRequired: listing.consentRequired,
    consents: listing.consents.map((c) => ({ partyId: c.partyId, role: c.role, consented: c.consentedAt !== null, consentedAt: c.consentedAt?.toISOString() ?? null })),
    status: listing.status,
    createdAt: listing.createdAt.toISOString(),
  };
}

export type ListingView = ReturnType<typeof toListingView>;
