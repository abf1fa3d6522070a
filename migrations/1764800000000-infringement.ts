// Infringement detection (issue 5): suspect copies reported from the field
// (sightings), the fingerprints the worker computes, their lookup indexes,
// the reports officers work, and authorship disputes.
//
// Evidence rows (sightings, report history) refuse UPDATE, DELETE and
// TRUNCATE like the ledger tables: a report's history can grow but never be
// rewritten. A report row itself changes status (its history says who, when
// and why); a dispute is resolved exactly once.
//
// Index tables (text_lsh_keys, image_hash_keys) are derived data, rebuilt
// from the fingerprints; they carry no foreign keys so that bulk loading and
// lookups stay cheap.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY = ['sightings', 'report_events'];

export class Infringement1764800000000 implements MigrationInterface {
  name = 'Infringement1764800000000';

  async up(db: QueryRunner): Promise<void> {
    // ---- sightings: a suspect copy seen somewhere, submitted by an officer or a right holder
    await db.query(`
      CREATE TABLE sightings (
        id uuid PRIMARY KEY,
        reporter_id uuid NOT NULL REFERENCES parties(id),
        reporter_role text NOT NULL CHECK (reporter_role IN ('officer', 'creator', 'admin')),
        sha256 bytea NOT NULL CHECK (length(sha256) = 32),
        content_kind text NOT NULL CHECK (content_kind IN ('file', 'text')),
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        media_type text,
        file_name text CHECK (length(file_name) <= 255),
        title text CHECK (length(title) BETWEEN 1 AND 500),
        source_url text NOT NULL CHECK (length(source_url) BETWEEN 1 AND 2000),
        source_domain text NOT NULL CHECK (length(source_domain) BETWEEN 1 AND 253),
        platform text NOT NULL CHECK (length(platform) BETWEEN 1 AND 100),
        seen_at timestamptz NOT NULL,
        suspect_party_id uuid REFERENCES parties(id),
        suspect_name text CHECK (length(suspect_name) BETWEEN 1 AND 200),
        territory text NOT NULL CHECK (territory ~ '^[A-Z]{2}$'),
        -- the use the copy makes, for the licence check (defaults: online dissemination)
        use_right text NOT NULL DEFAULT 'information_network_dissemination',
        use_medium text NOT NULL DEFAULT 'online',
        notes text CHECK (length(notes) <= 5000),
        -- RFC 3161 token over sha256, issued when the sighting was received
        time_stamp bytea,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await db.query(`CREATE INDEX sightings_reporter_idx ON sightings (reporter_id, created_at)`);

    // ---- fingerprints: one row per fingerprinted subject (work or sighting)
    await db.query(`
      CREATE TABLE content_fingerprints (
        subject_kind text NOT NULL CHECK (subject_kind IN ('work', 'sighting')),
        subject_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('fingerprinted', 'no_content', 'unsupported')),
        media text NOT NULL CHECK (media IN ('text', 'image', 'none')),
        detail text,
        -- how text was obtained (plain, docx, pdf) and the SHA-256 of that UTF-8
        -- text, kept in the content store: passage offsets point into it
        extractor text,
        text_sha256 bytea CHECK (length(text_sha256) = 32),
        text_chars integer,
        data jsonb,
        algorithm text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subject_kind, subject_id)
      )`);
    await db.query(`
      CREATE TABLE text_fingerprints (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        work_id uuid NOT NULL UNIQUE REFERENCES works(id),
        scheme text NOT NULL CHECK (scheme IN ('word', 'char')),
        signature bytea NOT NULL,
        shingle_count integer NOT NULL,
        alt_scheme text CHECK (alt_scheme IN ('word', 'char')),
        alt_signature bytea,
        alt_shingle_count integer
      )`);
    // LSH band keys (64 bits each), one row per key: equality lookups only.
    await db.query(`CREATE TABLE text_lsh_keys (band_key bigint NOT NULL, text_id integer NOT NULL)`);
    await db.query(`CREATE INDEX text_lsh_keys_key_idx ON text_lsh_keys (band_key) INCLUDE (text_id)`);
    await db.query(`
      CREATE TABLE image_fingerprints (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        work_id uuid NOT NULL UNIQUE REFERENCES works(id),
        global bigint NOT NULL,
        mirrored bigint NOT NULL,
        -- REGION_LAYOUT order; NULL where the region is too flat to hash
        regions bigint[] NOT NULL,
        width integer NOT NULL,
        height integer NOT NULL,
        flat boolean NOT NULL
      )`);
    // Multi-index hashing: each indexed 64-bit hash as 4 chunk keys
    // (class · 2^18 + chunk · 2^16 + value), with the whole hash beside it so
    // the Hamming check runs inside the index-only scan.
    await db.query(`CREATE TABLE image_hash_keys (chunk_key integer NOT NULL, hash bigint NOT NULL, image_id integer NOT NULL, slot smallint NOT NULL)`);
    await db.query(`CREATE INDEX image_hash_keys_key_idx ON image_hash_keys (chunk_key) INCLUDE (hash, image_id, slot)`);

    // ---- reports: one per (original, suspect) pair
    await db.query(`
      CREATE TABLE infringement_reports (
        id uuid PRIMARY KEY,
        original_work_id uuid NOT NULL REFERENCES works(id),
        suspect_kind text NOT NULL CHECK (suspect_kind IN ('work', 'sighting')),
        suspect_work_id uuid REFERENCES works(id),
        suspect_sighting_id uuid REFERENCES sightings(id),
        suspect_id uuid GENERATED ALWAYS AS (coalesce(suspect_work_id, suspect_sighting_id)) STORED,
        media text NOT NULL CHECK (media IN ('text', 'image', 'other')),
        match_kind text NOT NULL CHECK (match_kind IN ('exact', 'near')),
        severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium')),
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        scores jsonb NOT NULL,
        evidence jsonb NOT NULL,
        evidence_sha256 bytea NOT NULL CHECK (length(evidence_sha256) = 32),
        suspect_party_ids uuid[] NOT NULL,
        source_url text,
        source_domain text,
        licence jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'investigating', 'confirmed', 'dismissed', 'licensed')),
        search_text text NOT NULL,
        algorithm text NOT NULL,
        confirmed_entry_id bigint UNIQUE,
        detected_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        status_changed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CHECK ((suspect_kind = 'work') = (suspect_work_id IS NOT NULL)),
        CHECK ((suspect_kind = 'sighting') = (suspect_sighting_id IS NOT NULL)),
        CHECK (original_work_id IS DISTINCT FROM suspect_work_id),
        CHECK ((status = 'confirmed') = (confirmed_entry_id IS NOT NULL)),
        UNIQUE (original_work_id, suspect_id)
      )`);
    await db.query(`CREATE INDEX infringement_reports_detected_idx ON infringement_reports (detected_at, id)`);
    await db.query(`CREATE INDEX infringement_reports_status_idx ON infringement_reports (status, detected_at)`);
    await db.query(`CREATE INDEX infringement_reports_score_idx ON infringement_reports (score, id)`);
    await db.query(`CREATE INDEX infringement_reports_suspect_work_idx ON infringement_reports (suspect_work_id) WHERE suspect_work_id IS NOT NULL`);
    await db.query(`CREATE INDEX infringement_reports_sighting_idx ON infringement_reports (suspect_sighting_id) WHERE suspect_sighting_id IS NOT NULL`);
    await db.query(`CREATE INDEX infringement_reports_parties_idx ON infringement_reports USING gin (suspect_party_ids)`);
    await db.query(`CREATE INDEX infringement_reports_domain_idx ON infringement_reports (source_domain) WHERE source_domain IS NOT NULL`);
    // Identity and detection facts never change; only the workflow columns do.
    await db.query(`
      CREATE FUNCTION infringement_report_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'infringement reports are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.id <> OLD.id OR NEW.original_work_id <> OLD.original_work_id OR NEW.suspect_id <> OLD.suspect_id
           OR NEW.score <> OLD.score OR NEW.scores <> OLD.scores OR NEW.evidence <> OLD.evidence
           OR NEW.evidence_sha256 <> OLD.evidence_sha256 OR NEW.detected_at <> OLD.detected_at
           OR NEW.match_kind <> OLD.match_kind OR NEW.media <> OLD.media
           OR (OLD.confirmed_entry_id IS NOT NULL AND NEW.confirmed_entry_id IS DISTINCT FROM OLD.confirmed_entry_id) THEN
          RAISE EXCEPTION 'only the workflow of an infringement report changes' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER infringement_reports_guard BEFORE UPDATE OR DELETE ON infringement_reports FOR EACH ROW EXECUTE FUNCTION infringement_report_guard()`);
    await db.query(`
      CREATE TABLE report_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES infringement_reports(id),
        kind text NOT NULL CHECK (kind IN ('detected', 'status', 'note')),
        from_status text,
        to_status text,
        actor_kind text NOT NULL CHECK (actor_kind IN ('system', 'party')),
        actor_party_id uuid REFERENCES parties(id),
        actor_key_id text,
        actor_role text,
        note text CHECK (length(note) <= 5000),
        details jsonb,
        at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        CHECK ((actor_kind = 'party') = (actor_role IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX report_events_report_idx ON report_events (report_id, id)`);

    // ---- authorship disputes
    await db.query(`
      CREATE TABLE work_disputes (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES works(id),
        claimant_id uuid NOT NULL REFERENCES parties(id),
        grounds text NOT NULL CHECK (length(grounds) BETWEEN 1 AND 5000),
        -- the object whose canonical hash is the work.disputed entry's metadataHash
        metadata jsonb NOT NULL,
        entry_id bigint NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
        opened_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        resolved_by uuid REFERENCES parties(id),
        resolution_reason text CHECK (length(resolution_reason) BETWEEN 1 AND 5000),
        resolution_metadata jsonb,
        resolution_entry_id bigint UNIQUE,
        resolved_at timestamptz,
        CHECK ((status = 'open') = (resolved_at IS NULL)),
        CHECK ((status = 'open') = (resolution_entry_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX work_disputes_one_open_per_claimant ON work_disputes (work_id, claimant_id) WHERE status = 'open'`);
    await db.query(`CREATE INDEX work_disputes_work_idx ON work_disputes (work_id, opened_at)`);
    await db.query(`
      CREATE FUNCTION work_dispute_resolve_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'disputes are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'open' THEN
          RAISE EXCEPTION 'dispute % is already %', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.id <> OLD.id OR NEW.work_id <> OLD.work_id OR NEW.claimant_id <> OLD.claimant_id OR NEW.grounds <> OLD.grounds
           OR NEW.metadata <> OLD.metadata OR NEW.entry_id <> OLD.entry_id OR NEW.opened_at <> OLD.opened_at THEN
          RAISE EXCEPTION 'a dispute only moves from open to upheld or rejected' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER work_disputes_resolve_once BEFORE UPDATE OR DELETE ON work_disputes FOR EACH ROW EXECUTE FUNCTION work_dispute_resolve_once()`);

    for (const table of [...APPEND_ONLY, 'infringement_reports', 'work_disputes']) {
      if (APPEND_ONLY.includes(table)) {
        await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      }
      await db.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['work_disputes', 'report_events', 'infringement_reports', 'image_hash_keys', 'image_fingerprints', 'text_lsh_keys', 'text_fingerprints', 'content_fingerprints', 'sightings']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const fn of ['work_dispute_resolve_once', 'infringement_report_guard']) await db.query(`DROP FUNCTION IF EXISTS ${fn}()`);
  }
}
