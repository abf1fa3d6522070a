// First schema: parties and API keys, works and their owners, and the ledger
// (queue of entries awaiting integration, the integrated entries, stored tree
// nodes and signed checkpoints). Ledger tables are append-only at the database
// level, so no application bug or stray SQL can rewrite history.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE parties (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        contact text NOT NULL CHECK (length(contact) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
        key_prefix text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'creator', 'exchange', 'officer')),
        party_id uuid NOT NULL REFERENCES parties(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_party_idx ON api_keys (party_id)`);

    await db.query(`CREATE SEQUENCE work_registration_seq`);
    await db.query(`
      CREATE TABLE works (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        registration_number text NOT NULL UNIQUE,
        registrant_id uuid NOT NULL REFERENCES parties(id),
        sha256 bytea NOT NULL CHECK (length(sha256) = 32),
        title text NOT NULL,
        type text NOT NULL CHECK (type IN ('text', 'image', 'audio', 'video', 'software', 'design', 'other')),
        authors jsonb NOT NULL,
        completed_on date,
        publication jsonb,
        description text,
        derived_from_id uuid REFERENCES works(id),
        content_stored boolean NOT NULL,
        size_bytes bigint,
        media_type text,
        priority_work_id uuid REFERENCES works(id),
        status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'withdrawn')),
        entry_id bigint NOT NULL,
        -- millisecond precision so API cursors (JS dates) round-trip exactly
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        UNIQUE (registrant_id, sha256)
      )`);
    await db.query(`CREATE INDEX works_sha256_idx ON works (sha256, created_at)`);
    await db.query(`CREATE INDEX works_created_idx ON works (created_at, id)`);
    await db.query(`CREATE INDEX works_type_idx ON works (type, created_at)`);
    await db.query(`
      CREATE TABLE work_owners (
        work_id uuid NOT NULL REFERENCES works(id),
        party_id uuid NOT NULL REFERENCES parties(id),
        share_bp integer NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
        PRIMARY KEY (work_id, party_id)
      )`);
    await db.query(`CREATE INDEX work_owners_party_idx ON work_owners (party_id)`);

    // Entries wait here, written in the same transaction as the business change,
    // until the sequencer integrates them. Rows are deleted once integrated.
    await db.query(`
      CREATE TABLE ledger_queue (
        id bigserial PRIMARY KEY,
        body jsonb NOT NULL,
        subject_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE ledger_entries (
        idx bigint PRIMARY KEY CHECK (idx >= 0),
        entry_id bigint NOT NULL UNIQUE,
        kind text NOT NULL,
        subject_id uuid NOT NULL,
        data bytea NOT NULL,
        integrated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX ledger_entries_subject_idx ON ledger_entries (subject_id, idx)`);
    // Tree nodes, stored as runs: each batch writes, per level, one row holding
    // the consecutive perfect-subtree hashes it completed. Node (level, i)
    // covers leaves [i * 2^level, (i + 1) * 2^level); level 0 are leaf hashes.
    // About a dozen rows per batch instead of one per node; EXTERNAL storage
    // lets substring() read one hash out of a long run without reading it all.
    await db.query(`
      CREATE TABLE ledger_node_runs (
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
        start_idx bigint NOT NULL CHECK (start_idx >= 0),
        hashes bytea NOT NULL CHECK (length(hashes) > 0 AND length(hashes) % 32 = 0),
        PRIMARY KEY (level, start_idx)
      )`);
    await db.query(`ALTER TABLE ledger_node_runs ALTER COLUMN hashes SET STORAGE EXTERNAL`);
    await db.query(`
      CREATE TABLE ledger_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger table % is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_entries', 'ledger_node_runs', 'ledger_checkpoints']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['ledger_checkpoints', 'ledger_node_runs', 'ledger_entries', 'ledger_queue', 'work_owners', 'works', 'api_keys', 'parties']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP SEQUENCE IF EXISTS work_registration_seq`);
    await db.query(`DROP FUNCTION IF EXISTS ledger_refuse_change()`);
  }
}
