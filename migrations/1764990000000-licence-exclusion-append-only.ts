// licence_exclusion holds the rows the no-overlap constraint checks, one per
// licence: a deleted or edited row would silently take a licence's
// exclusivity away, while licences themselves could not be touched. Its rows
// are now facts like the licences' (UPDATE, DELETE and TRUNCATE refused), and
// the reconciliation checks that every licence has its row.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LicenceExclusionAppendOnly1764990000000 implements MigrationInterface {
  name = 'LicenceExclusionAppendOnly1764990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TRIGGER licence_exclusion_append_only BEFORE UPDATE OR DELETE ON licence_exclusion FOR EACH ROW EXECUTE FUNCTION exchange_refuse_change()`);
    await db.query(`CREATE TRIGGER licence_exclusion_no_truncate BEFORE TRUNCATE ON licence_exclusion FOR EACH STATEMENT EXECUTE FUNCTION exchange_refuse_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER licence_exclusion_no_truncate ON licence_exclusion`);
    await db.query(`DROP TRIGGER licence_exclusion_append_only ON licence_exclusion`);
  }
}
