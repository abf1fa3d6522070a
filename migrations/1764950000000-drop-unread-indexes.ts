// Drops four indexes that no query reads but every settlement writes (issue
// 4, CPU per purchase). Each cost a B-tree insert, a lock and a WAL record per
// settled purchase, and idempotency_keys_created_idx one per idempotent call
// of any app, always into its right-most page, which every concurrent
// request competes for.
//
// - idempotency_keys_created_idx (created_at): nothing expires or lists keys
//   by age.
// - settlements_listing_idx (listing_id), settlements_buyer_idx (buyer_id,
//   created_at), licences_licensee_idx (licensee_id, granted_at): no endpoint
//   or job lists the settlements of a listing or of a buyer, or the licences
//   of a licensee alone; licences are looked up by work and licensee
//   (licences_lookup_idx) and settlements by id. Listings and parties, which
//   these columns reference, are never deleted (holds and licences reference
//   them without an index already).
//
// Measured on the settlement function alone (1000 calls, deterministic
// counts): 63 -> 58 WAL records and 258 -> 236-247 buffer pages per settlement.
// A feature that lists by one of these columns should bring its index back.
// licence_exclusion_licence_idx stays: removing a licence's exclusion row by
// licence (revocation, ON DELETE CASCADE) needs it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DropUnreadIndexes1764950000000 implements MigrationInterface {
  name = 'DropUnreadIndexes1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX idempotency_keys_created_idx, settlements_listing_idx, settlements_buyer_idx, licences_licensee_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
    await db.query(`CREATE INDEX settlements_listing_idx ON settlements (listing_id)`);
    await db.query(`CREATE INDEX settlements_buyer_idx ON settlements (buyer_id, created_at)`);
    await db.query(`CREATE INDEX licences_licensee_idx ON licences (licensee_id, granted_at)`);
  }
}
