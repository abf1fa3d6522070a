// SQL for listings and their consents.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Sql } from '#ledger-store';
import { PREPARED_SQL } from '#platform';
import { fen } from '../money/amount.js';
import { queryRows } from '../money/query-rows.js';
import type { Listing, ListingConsent, ListingStatus } from './listing.js';
import { LISTABLE_WORK_COLUMNS, type ListableWorkRow } from './work-listability.js';

interface ListingRow {
  id: string;
  work_id: string;
  kind: Listing['kind'];
  origin: Listing['origin'];
  created_by: string;
  seller_id: string | null;
  share_bp: number | null;
  terms: Listing['terms'];
  exclusive: boolean;
  price: string;
  fee_bp: number;
  reserved_for: string | null;
  consent_required: boolean;
  status: ListingStatus;
  created_at: Date;
  consents: Array<{ party_id: string; role: ListingConsent['role']; consented_at: string | null }> | null;
}

const COLUMNS = `l.*, (SELECT json_agg(json_build_object('party_id', c.party_id, 'role', c.role, 'consented_at', c.consented_at) ORDER BY c.role, c.party_id)
                 FROM listing_consents c WHERE c.listing_id = l.id) AS consents`;

const SELECT = `SELECT ${COLUMNS} FROM listings l`;

function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    workId: row.work_id,
    kind: row.kind,
    origin: row.origin,
    createdBy: row.created_by,
    sellerId: row.seller_id,
    shareBp: row.share_bp,
    terms: row.terms,
    exclusive: row.exclusive,
    price: BigInt(row.price),
    feeBp: row.fee_bp,
    reservedFor: row.reserved_for,
    consentRequired: row.consent_required,
    status: row.status,
    createdAt: row.created_at,
    consents: (row.consents ?? []).map((c) => ({ partyId: c.party_id, role: c.role, consentedAt: c.consented_at ? new Date(c.consented_at) : null })),
  };
}

export interface ListingSearch {
  workId?: string;
  status?: ListingStatus;
  includeDeals: boolean;
  after?: { createdAt: string; id: string };
  limit: number;
}

@Injectable()
export class ListingsRepository {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PREPARED_SQL) private readonly sql: Sql,
  ) {}

  async find(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Listing | undefined> {
    const rows: ListingRow[] = await manager.query(`${SELECT} WHERE l.id = $1${lock ? ' FOR UPDATE OF l' : ''}`, [id]);
    return rows[0] ? toListing(rows[0]) : undefined;
  }

  /**
   * A listing with what a purchase checks of its work (WorkListability's
   * inputs), in one round trip; work is undefined if the work is missing.
   * Prepared: planning it cost five times more than running it.
   */
  async findForPurchase(id: string): Promise<{ listing: Listing; work: ListableWorkRow | undefined } | undefined> {
    const rows =
      await this.sql<ListingRow & { work_id_found: string | null; work_sha256: Buffer; work_status: string; work_disputed: boolean; work_owners: ListableWorkRow['owners'] }>(
        `SELECT ${COLUMNS}, lw.id AS work_id_found, lw.sha256 AS work_sha256, lw.status AS work_status, lw.disputed AS work_disputed, lw.owners AS work_owners
           FROM listings l LEFT JOIN LATERAL (SELECT ${LISTABLE_WORK_COLUMNS} FROM works w WHERE w.id = l.work_id) lw ON true
          WHERE l.id = $1`,
        [id],
      );
    const row = rows[0];
    if (!row) return undefined;
    const work = row.work_id_found
      ? { id: row.work_id_found, sha256: row.work_sha256, status: row.work_status, disputed: row.work_disputed, owners: row.work_owners }
      : undefined;
    return { listing: toListing(row), work };
  }

  async search(search: ListingSearch): Promise<Listing[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (search.workId) where.push(`l.work_id = ${param(search.workId)}`);
    if (search.status) where.push(`l.status = ${param(search.status)}`);
    if (!search.includeDeals) where.push(`l.origin = 'listing'`);
    // Keyset on the cursor row's exact created_at (microseconds; the cursor's
    // time has milliseconds and skipped listings created in the same one).
    if (search.after) where.push(`(l.created_at, l.id) < (SELECT c.created_at, c.id FROM listings c WHERE c.id = ${param(search.after.id)}::uuid)`);
    const rows: ListingRow[] = await this.dataSource.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.created_at DESC, l.id DESC LIMIT ${param(search.limit)}`,
      params,
    );
    return rows.map(toListing);
  }

  async insert(manager: EntityManager, listing: Listing): Promise<void> {
    await manager.query(
      `INSERT INTO listings (id, work_id, kind, origin, created_by, seller_id, share_bp, terms, exclusive, price, fee_bp, reserved_for, consent_required, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        listing.id,
        listing.workId,
        listing.kind,
        listing.origin,
        listing.createdBy,
        listing.sellerId,
        listing.shareBp,
        listing.terms ? JSON.stringify(listing.terms) : null,
        listing.exclusive,
        fen(listing.price),
        listing.feeBp,
        listing.reservedFor,
        listing.consentRequired,
        listing.status,
      ],
    );
    if (listing.consents.length) {
      await manager.query(
        `INSERT INTO listing_consents (listing_id, party_id, role, consented_at)
         SELECT $1, c.party_id, c.role, c.consented_at FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS c(party_id, role, consented_at)`,
        [listing.id, listing.consents.map((c) => c.partyId), listing.consents.map((c) => c.role), listing.consents.map((c) => c.consentedAt)],
      );
    }
  }

  /** Records one party's consent; false if it had no consent pending on this listing. */
  async consent(manager: EntityManager, listingId: string, partyId: string): Promise<boolean> {
    const rows = await queryRows(
      manager,
      'UPDATE listing_consents SET consented_at = now() WHERE listing_id = $1 AND party_id = $2 AND consented_at IS NULL RETURNING 1',
      [listingId, partyId],
    );
    return rows.length === 1;
  }

  async setStatus(manager: EntityManager, listingId: string, status: ListingStatus, from: ListingStatus[]): Promise<boolean> {
    const rows = await queryRows(
      manager,
      'UPDATE listings SET status = $2, updated_at = now() WHERE id = $1 AND status = ANY($3::text[]) RETURNING 1',
      [listingId, status, from],
    );
    return rows.length === 1;
  }
}
