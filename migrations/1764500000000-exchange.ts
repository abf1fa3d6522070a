// The exchange: double-entry accounts in integer fen, immutable transfers,
// two-phase holds, idempotency keys, listings with co-owner consent, licences
// with the exclusion constraint that makes exclusivity race-proof, and
// settlements (one row per settled purchase or deal).
//
// The database, not the application, is the last line of defence for every
// money invariant: balances cannot go negative (CHECK), transfers and ledger
// history cannot be edited (triggers), a hold moves from pending to posted or
// voided exactly once (trigger), an external bank reference is used once
// (unique index), and two licences that may not coexist cannot both be
// inserted (EXCLUDE USING gist, see libs/licensing/src/exclusion-rows.ts).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed ids of the system accounts (also in apps/exchange/src/money/system-accounts.ts). */
const SETTLEMENT_BANK = '00000000-0000-4000-8000-00000000b001';
/** The exchange's fee income is spread over 16 accounts: one would be a lock every settlement queues on. */
const EXCHANGE_FEE_SHARDS = Array.from({ length: 16 }, (_, i) => `00000000-0000-4000-8000-00000000f0${i.toString(16).padStart(2, '0')}`);

export class Exchange1764500000000 implements MigrationInterface {
  name = 'Exchange1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    // Refuses edits to tables whose rows are facts (transfers, consents).
    await db.query(`
      CREATE FUNCTION exchange_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);

    // ---- idempotency -------------------------------------------------------
    // A row exists only once the call's business change committed: it is
    // inserted first in the business transaction (so a concurrent retry waits
    // on the unique key) and carries the answer written last in that same
    // transaction. See libs/platform/src/idempotency.
    await db.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL CHECK (length(scope) BETWEEN 1 AND 100),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
        response_status integer CHECK (response_status BETWEEN 200 AND 599),
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (scope, key),
        CHECK ((response_status IS NULL) = (completed_at IS NULL))
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    // ---- accounts ----------------------------------------------------------
    // balance: posted money; held: the part reserved by pending holds.
    // available = balance - held never goes negative, except for the
    // settlement bank, whose balance is minus the money inside the exchange.
    await db.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('party', 'settlement_bank', 'exchange_fee')),
        party_id uuid UNIQUE REFERENCES parties(id),
        currency text NOT NULL DEFAULT 'CNY' CHECK (currency = 'CNY'),
        balance bigint NOT NULL DEFAULT 0,
        held bigint NOT NULL DEFAULT 0 CHECK (held >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT accounts_party_iff_party_kind CHECK ((kind = 'party') = (party_id IS NOT NULL)),
        CONSTRAINT accounts_no_overdraft CHECK (kind = 'settlement_bank' OR balance - held >= 0),
        CONSTRAINT accounts_bank_holds_nothing CHECK (kind <> 'settlement_bank' OR (held = 0 AND balance <= 0))
      )`);
    await db.query(`CREATE UNIQUE INDEX accounts_one_settlement_bank ON accounts (kind) WHERE kind = 'settlement_bank'`);
    await db.query(`INSERT INTO accounts (id, kind) VALUES ($1, 'settlement_bank')`, [SETTLEMENT_BANK]);
    await db.query(`INSERT INTO accounts (id, kind) SELECT unnest($1::uuid[]), 'exchange_fee'`, [EXCHANGE_FEE_SHARDS]);
    // Every party has an account from the moment it exists.
    await db.query(`INSERT INTO accounts (kind, party_id) SELECT 'party', id FROM parties`);
    await db.query(`
      CREATE FUNCTION open_party_account() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO accounts (kind, party_id) VALUES ('party', NEW.id);
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER parties_open_account AFTER INSERT ON parties FOR EACH ROW EXECUTE FUNCTION open_party_account()`);
    await db.query(`
      CREATE FUNCTION accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'accounts are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.party_id IS DISTINCT FROM OLD.party_id OR NEW.currency <> OLD.currency THEN
          RAISE EXCEPTION 'only balance and held of an account change' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER accounts_guard BEFORE UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION accounts_guard()`);
    await db.query(`CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION exchange_refuse_change()`);

    // ---- listings and consent ----------------------------------------------
    await db.query(`
      CREATE TABLE listings (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES works(id),
        kind text NOT NULL CHECK (kind IN ('licence', 'assignment')),
        origin text NOT NULL CHECK (origin IN ('listing', 'deal')),
        created_by uuid NOT NULL REFERENCES parties(id),
        -- the co-owner whose share an assignment sells
        seller_id uuid REFERENCES parties(id),
        share_bp integer CHECK (share_bp BETWEEN 1 AND 10000),
        terms jsonb,
        exclusive boolean NOT NULL,
        price bigint NOT NULL CHECK (price > 0),
        fee_bp integer NOT NULL CHECK (fee_bp BETWEEN 0 AND 10000),
        -- a negotiated deal is reserved for one buyer
        reserved_for uuid REFERENCES parties(id),
        consent_required boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('awaiting_consent', 'active', 'sold', 'withdrawn')),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'licence') = (terms IS NOT NULL)),
        CHECK ((kind = 'assignment') = (seller_id IS NOT NULL AND share_bp IS NOT NULL)),
        CHECK ((origin = 'deal') = (reserved_for IS NOT NULL)),
        CHECK (kind = 'licence' OR exclusive)
      )`);
    await db.query(`CREATE INDEX listings_work_idx ON listings (work_id, status)`);
    await db.query(`CREATE INDEX listings_created_idx ON listings (created_at, id)`);
    // Parties whose consent the listing needs; consented_at is set once.
    await db.query(`
      CREATE TABLE listing_consents (
        listing_id uuid NOT NULL REFERENCES listings(id),
        party_id uuid NOT NULL REFERENCES parties(id),
        role text NOT NULL CHECK (role IN ('owner', 'buyer')),
        consented_at timestamptz,
        PRIMARY KEY (listing_id, party_id)
      )`);
    await db.query(`
      CREATE FUNCTION listing_consent_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.consented_at IS NOT NULL OR NEW.listing_id <> OLD.listing_id OR NEW.party_id <> OLD.party_id OR NEW.role <> OLD.role THEN
          RAISE EXCEPTION 'a consent is given once and never withdrawn or edited' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER listing_consents_once BEFORE UPDATE OR DELETE ON listing_consents FOR EACH ROW EXECUTE FUNCTION listing_consent_once()`);

    // ---- settlements, holds, transfers --------------------------------------
    // One row per settled purchase or deal. A refused attempt leaves no row
    // here: its only trace is its voided hold.
    await db.query(`
      CREATE TABLE settlements (
        id uuid PRIMARY KEY,
        listing_id uuid NOT NULL REFERENCES listings(id),
        work_id uuid NOT NULL REFERENCES works(id),
        kind text NOT NULL CHECK (kind IN ('licence', 'assignment')),
        buyer_id uuid NOT NULL REFERENCES parties(id),
        -- the exchange party that settled a negotiated deal
        settled_by uuid REFERENCES parties(id),
        price bigint NOT NULL CHECK (price > 0),
        fee_bp integer NOT NULL CHECK (fee_bp BETWEEN 0 AND 10000),
        fee bigint NOT NULL CHECK (fee >= 0 AND fee <= price),
        entry_id bigint NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX settlements_listing_idx ON settlements (listing_id)`);
    await db.query(`CREATE INDEX settlements_buyer_idx ON settlements (buyer_id, created_at)`);
    await db.query(`CREATE TRIGGER settlements_append_only BEFORE UPDATE OR DELETE ON settlements FOR EACH ROW EXECUTE FUNCTION exchange_refuse_change()`);

    await db.query(`
      CREATE TABLE holds (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id),
        amount bigint NOT NULL CHECK (amount > 0),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'voided')),
        -- what the money was held for
        listing_id uuid REFERENCES listings(id),
        settlement_id uuid REFERENCES settlements(id) DEFERRABLE INITIALLY DEFERRED,
        void_reason text CHECK (length(void_reason) <= 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CHECK ((status = 'pending') = (resolved_at IS NULL)),
        CHECK ((status = 'voided') = (void_reason IS NOT NULL)),
        CHECK (status <> 'posted' OR settlement_id IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX holds_pending_idx ON holds (account_id) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX holds_settlement_idx ON holds (settlement_id)`);
    // pending -> posted | voided, exactly once; nothing else about a hold changes.
    await db.query(`
      CREATE FUNCTION holds_resolve_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'holds are never deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status <> 'pending' THEN
          RAISE EXCEPTION 'hold % is already %', OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status NOT IN ('posted', 'voided') OR NEW.id <> OLD.id OR NEW.account_id <> OLD.account_id
           OR NEW.amount <> OLD.amount OR NEW.created_at <> OLD.created_at
           OR NEW.listing_id IS DISTINCT FROM OLD.listing_id
           OR (NEW.settlement_id IS DISTINCT FROM OLD.settlement_id AND OLD.settlement_id IS NOT NULL) THEN
          RAISE EXCEPTION 'a hold only moves from pending to posted or voided' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER holds_resolve_once BEFORE UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_resolve_once()`);
    await db.query(`CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds FOR EACH STATEMENT EXECUTE FUNCTION exchange_refuse_change()`);

    // Each transfer debits one account and credits another. The balances
    // after it are recorded so a statement with running balances is one
    // indexed range read; they are written while both account rows are
    // locked, so per account they follow the order of ids.
    await db.query(`
      CREATE TABLE transfers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('deposit', 'payout', 'sale_proceeds', 'exchange_fee')),
        debit_account_id uuid NOT NULL REFERENCES accounts(id),
        credit_account_id uuid NOT NULL REFERENCES accounts(id),
        amount bigint NOT NULL CHECK (amount > 0),
        debit_balance_after bigint NOT NULL,
        credit_balance_after bigint NOT NULL,
        settlement_id uuid REFERENCES settlements(id) DEFERRABLE INITIALLY DEFERRED,
        hold_id uuid REFERENCES holds(id),
        external_ref text CHECK (length(external_ref) BETWEEN 1 AND 200),
        memo text CHECK (length(memo) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (debit_account_id <> credit_account_id),
        CHECK ((kind IN ('deposit', 'payout')) = (external_ref IS NOT NULL)),
        CHECK ((kind IN ('sale_proceeds', 'exchange_fee')) = (settlement_id IS NOT NULL))
      )`);
    // One bank movement, one transfer: a deposit cannot be booked twice.
    await db.query(`CREATE UNIQUE INDEX transfers_external_ref_key ON transfers (external_ref) WHERE external_ref IS NOT NULL`);
    await db.query(`CREATE INDEX transfers_debit_idx ON transfers (debit_account_id, id)`);
    await db.query(`CREATE INDEX transfers_credit_idx ON transfers (credit_account_id, id)`);
    await db.query(`CREATE INDEX transfers_settlement_idx ON transfers (settlement_id) WHERE settlement_id IS NOT NULL`);
    await db.query(`CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers FOR EACH ROW EXECUTE FUNCTION exchange_refuse_change()`);
    await db.query(`CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers FOR EACH STATEMENT EXECUTE FUNCTION exchange_refuse_change()`);

    // ---- licences and assignments -------------------------------------------
    await db.query(`
      CREATE TABLE licences (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES works(id),
        licensee_id uuid NOT NULL REFERENCES parties(id),
        listing_id uuid NOT NULL REFERENCES listings(id),
        settlement_id uuid NOT NULL UNIQUE REFERENCES settlements(id) DEFERRABLE INITIALLY DEFERRED,
        licensors jsonb NOT NULL,
        terms jsonb NOT NULL,
        rights text[] NOT NULL,
        exclusive boolean NOT NULL,
        period daterange NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active')),
        entry_id bigint NOT NULL UNIQUE,
        granted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX licences_lookup_idx ON licences (work_id, licensee_id)`);
    await db.query(`CREATE INDEX licences_licensee_idx ON licences (licensee_id, granted_at)`);
    // The scheme and its proof of equivalence with conflicts() are in
    // libs/licensing/src/exclusion-rows.ts; this table is exactly that one.
    await db.query(`
      CREATE TABLE licence_exclusion (
        row_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        licence_id uuid NOT NULL REFERENCES licences(id) ON DELETE CASCADE,
        work_id uuid NOT NULL,
        right_code text NOT NULL,
        territories int4multirange NOT NULL,
        media int4multirange NOT NULL,
        period daterange NOT NULL,
        exclusive boolean NOT NULL,
        exclusivity int8range GENERATED ALWAYS AS (
          CASE WHEN exclusive THEN '(,)'::int8range ELSE int8range(row_id, row_id, '[]') END
        ) STORED,
        CONSTRAINT licence_exclusion_no_overlap EXCLUDE USING gist (
          work_id WITH =, right_code WITH =, territories WITH &&, media WITH &&, period WITH &&, exclusivity WITH &&
        )
      )`);
    await db.query(`CREATE INDEX licence_exclusion_licence_idx ON licence_exclusion (licence_id)`);

    await db.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY,
        work_id uuid NOT NULL REFERENCES works(id),
        assignor_id uuid NOT NULL REFERENCES parties(id),
        assignee_id uuid NOT NULL REFERENCES parties(id),
        share_bp integer NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
        listing_id uuid NOT NULL REFERENCES listings(id),
        settlement_id uuid NOT NULL UNIQUE REFERENCES settlements(id) DEFERRABLE INITIALLY DEFERRED,
        entry_id bigint NOT NULL UNIQUE,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        CHECK (assignor_id <> assignee_id)
      )`);
    await db.query(`CREATE INDEX assignments_work_idx ON assignments (work_id, assigned_at)`);
    for (const table of ['licences', 'assignments']) {
      await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION exchange_refuse_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['licence_exclusion', 'assignments', 'licences', 'transfers', 'holds', 'settlements', 'listing_consents', 'listings', 'accounts', 'idempotency_keys']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await db.query(`DROP TRIGGER IF EXISTS parties_open_account ON parties`);
    for (const fn of ['open_party_account', 'accounts_guard', 'listing_consent_once', 'holds_resolve_once', 'exchange_refuse_change']) {
      await db.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    }
  }
}
