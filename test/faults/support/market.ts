// A small market on a running registry and exchange, through their HTTP APIs
// only: an operator, sellers with listed works (non-exclusive licences, which
// any number of buyers may take) and funded buyers; and one purchase call.
import { randomUUID } from 'node:crypto';
import { call, issueKey, register, type Answer } from './fault-fixtures.js';

export interface Party {
  key: string;
  partyId: string;
}

export interface Listing {
  id: string;
  price: bigint;
  sellerId: string;
}

export interface Market {
  operator: Party;
  sellers: Party[];
  buyers: Party[];
  /** Non-exclusive licences: any number of buyers may take each. */
  listings: Listing[];
  /** Exclusive licences: the first buyer takes it, the others are refused. */
  exclusiveListings: Listing[];
  /** Total deposited, in fen. */
  deposited: bigint;
}

export const LICENCE_TERMS = {
  rights: ['reproduction', 'information_network_dissemination'],
  exclusive: false,
  territories: ['CN'],
  media: ['online'],
  period: { start: '2026-01-01', end: '2027-01-01' },
  sublicensable: false,
};

async function expectStatus(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
  const done = await answer;
  if (done.status !== status) throw new Error(`${what}: ${done.status} ${JSON.stringify(done.body)}`);
  return done;
}

async function list(registryUrl: string, exchangeUrl: string, seller: Party, exclusive: boolean, price: bigint): Promise<Listing> {
  const work = await expectStatus(register(registryUrl, seller.key), 201, 'registration');
  const listing = await expectStatus(
    call('POST', `${exchangeUrl}/v1/listings`, {
      key: seller.key,
      idempotencyKey: randomUUID(),
      body: { workId: work.body.id, kind: 'licence', terms: { ...LICENCE_TERMS, exclusive }, price: String(price) },
    }),
    201,
    'listing',
  );
  return { id: listing.body.id, price, sellerId: seller.partyId };
}

export async function setUpMarket(
  registryUrl: string,
  exchangeUrl: string,
  options: { sellers: number; buyers: number; deposit: bigint; exclusive?: number },
): Promise<Market> {
  const operator = await issueKey(registryUrl, 'exchange', 'Fault exchange operator');
  const sellers = await Promise.all(Array.from({ length: options.sellers }, (_, i) => issueKey(registryUrl, 'creator', `Seller ${i}`)));
  const buyers = await Promise.all(Array.from({ length: options.buyers }, (_, i) => issueKey(registryUrl, 'creator', `Buyer ${i}`)));
  const listings: Listing[] = [];
  const exclusiveListings: Listing[] = [];
  for (const [i, seller] of sellers.entries()) listings.push(await list(registryUrl, exchangeUrl, seller, false, 100n + BigInt(i)));
  for (let i = 0; i < (options.exclusive ?? 0); i++) {
    exclusiveListings.push(await list(registryUrl, exchangeUrl, sellers[i % sellers.length], true, 5000n + BigInt(i)));
  }
  for (const buyer of buyers) {
    await expectStatus(
      call('POST', `${exchangeUrl}/v1/deposits`, {
        key: operator.key,
        idempotencyKey: randomUUID(),
        body: { partyId: buyer.partyId, amount: String(options.deposit), externalRef: `BANK-${randomUUID()}` },
      }),
      201,
      'deposit',
    );
  }
  return { operator, sellers, buyers, listings, exclusiveListings, deposited: options.deposit * BigInt(buyers.length) };
}

export function purchase(exchangeUrl: string, buyer: Party, listingId: string, idempotencyKey: string): Promise<Answer> {
  return call('POST', `${exchangeUrl}/v1/listings/${listingId}/purchase`, { key: buyer.key, idempotencyKey, body: {} });
}

export async function reconciliation(exchangeUrl: string, operator: Party): Promise<Answer> {
  return call('GET', `${exchangeUrl}/v1/reconciliation`, { key: operator.key });
}
