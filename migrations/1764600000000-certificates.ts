// Certificates: the RFC 3161 time-stamp issued with each registration, and
// the records behind supplementary registrations (amendments) and
// withdrawals. Each of these rows is evidence tied to a ledger entry, so like
// the ledger tables they refuse UPDATE, DELETE and TRUNCATE; a correction is a
// new amendment row, never an edit.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVIDENCE_TABLES = ['work_timestamps', 'work_amendments', 'work_withdrawals'];

export class Certificates1764600000000 implements MigrationInterface {
  name = 'Certificates1764600000000';

  async up(db: QueryRunner): Promise<void> {
    // Written by the same statement as the registration itself, so a work has
    // its token from the moment it exists.
    await db.query(`
      CREATE TABLE work_timestamps (
        work_id uuid PRIMARY KEY REFERENCES works(id),
        response bytea NOT NULL CHECK (length(response) BETWEEN 64 AND 65536),
        gen_time timestamptz NOT NULL,
        serial_number numeric(40, 0) NOT NULL CHECK (serial_number > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE work_amendments (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES works(id),
        seq integer NOT NULL CHECK (seq >= 1),
        applicant_id uuid NOT NULL REFERENCES parties(id),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        changes jsonb NOT NULL,
        -- The object whose canonical hash is the work.amended entry's metadataHash.
        metadata jsonb NOT NULL,
        -- The work's registration metadata just before this amendment, so the
        -- original (hashed into work.registered) stays recoverable after the
        -- works row shows the corrected values.
        previous_metadata jsonb NOT NULL,
        entry_id bigint NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (work_id, seq)
      )`);
    await db.query(`
      CREATE TABLE work_withdrawals (
        work_id uuid PRIMARY KEY REFERENCES works(id),
        applicant_id uuid NOT NULL REFERENCES parties(id),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        metadata jsonb NOT NULL,
        entry_id bigint NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    for (const table of EVIDENCE_TABLES) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...EVIDENCE_TABLES].reverse()) await db.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
