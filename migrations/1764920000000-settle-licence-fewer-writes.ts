// exchange_settle_licence() with fewer statements and row writes (issue 4,
// CPU per purchase). The same steps in the same order, the same checks, the
// same refusals; what changed is how many times PostgreSQL starts a statement
// or writes a row to do them. Measured with pg_stat_statements (track = all)
// on one purchase:
//
// - The Idempotency-Key row was inserted bare (the claim) and updated with the
//   answer at the end: two writes of a 2 kB row. The answer's only unknown was
//   the settlement time, and now() is the transaction's start time, fixed
//   before the first statement; so the claim is inserted with its answer and
//   completed_at at once. It is still the first write, so a concurrent retry
//   still waits on the key, and it still commits or rolls back with the
//   settlement.
// - Locking the accounts took three statements (the buyer's account by party,
//   the lock in id order, the buyer's available balance again), and the lock
//   statement was planned anew on every call (its generic plan never won).
//   One statement now locks the same rows in the same id order and reads the
//   buyer's account and available balance from the locked rows. It runs in a
//   MATERIALIZED CTE read to the end by an aggregate, so every row is locked
//   (a plain subquery could have outer conditions pushed into it).
// - The owners were read twice (ids, then shares): once now.
// - An answer with its ledger proof is about 3.4 kB of JSON, mostly base64,
//   which pglz cannot shrink by the quarter it asks for: every write of such
//   a row tried to compress it, gave up, and moved it into the TOAST table
//   (two chunk rows and their index entries, deleted again when the answer is
//   replaced after the proof). idempotency_keys keeps rows up to 8 kB in the
//   table now (toast_tuple_target); larger ones are still compressed.
//
// Everything else is as in settle-licence-function: the two-phase hold
// (pending hold with held += price, then posted), the exclusion rows and their
// constraint, the listing check, the ledger entry, the posting line by line,
// the final check that the lines add up to the price. (One INSERT for all the
// transfers, or one UPDATE for all the credits, measured no cheaper than a
// statement per line: the per-row work, index entries and foreign-key checks,
// dominates.)
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SettleLicenceFunction1764910000000 } from './1764910000000-settle-licence-function.js';

export class SettleLicenceFewerWrites1764920000000 implements MigrationInterface {
  name = 'SettleLicenceFewerWrites1764920000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_keys SET (toast_tuple_target = 8160)`);
    await db.query(`
      CREATE OR REPLACE FUNCTION exchange_settle_licence(
        p_claim_scope text, p_claim_key text, p_claim_hash bytea, p_answer_status integer, p_answer jsonb,
        p_settlement_id uuid, p_hold_id uuid, p_listing_id uuid, p_work_id uuid, p_buyer_id uuid, p_settled_by uuid,
        p_price bigint, p_fee_bp integer, p_fee bigint,
        p_owner_ids uuid[], p_owner_shares integer[],
        p_line_kinds text[], p_line_accounts uuid[], p_line_amounts bigint[],
        p_licence_id uuid, p_licensors jsonb, p_terms jsonb, p_rights text[], p_exclusive boolean, p_period_start date, p_period_end date,
        p_exclusion_rights text[], p_territories int4multirange, p_media int4multirange, p_exclusion_period daterange,
        p_entry jsonb
      ) RETURNS TABLE (claimed boolean, entry_id bigint, answer jsonb)
      LANGUAGE plpgsql AS $$
      DECLARE
        v_buyer_account uuid;
        v_available bigint;
        v_balance bigint;
        v_credit_balance bigint;
        v_owner_ids uuid[];
        v_owner_shares integer[];
        v_entry_id bigint;
        v_now text;
        v_answer jsonb;
        i integer;
      BEGIN
        -- The answer, with the database's time (settlements.created_at and
        -- licences.granted_at are now() too: the transaction's start), in the
        -- format of Date.toISOString().
        v_now := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_answer := jsonb_set(jsonb_set(p_answer, '{settlement,settledAt}', to_jsonb(v_now)), '{licence,grantedAt}', to_jsonb(v_now));

        -- 1. The key with its answer, first: a concurrent request with the same
        --    key waits here for the first one to end; if it committed, nothing
        --    is done. The row commits or rolls back with the settlement.
        IF p_claim_key IS NOT NULL THEN
          INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, completed_at)
          VALUES (p_claim_scope, p_claim_key, p_claim_hash, p_answer_status, v_answer, now()) ON CONFLICT DO NOTHING;
          IF NOT FOUND THEN
            RETURN QUERY SELECT false, NULL::bigint, NULL::jsonb;
            RETURN;
          END IF;
        END IF;

        -- 2. The split was planned for these owners (read without a lock, like
        --    the work's listability; an assignment locks them to change them).
        SELECT coalesce(array_agg(o.party_id ORDER BY o.party_id), '{}'), coalesce(array_agg(o.share_bp ORDER BY o.party_id), '{}')
          INTO v_owner_ids, v_owner_shares FROM work_owners o WHERE o.work_id = p_work_id;
        IF v_owner_ids <> p_owner_ids OR v_owner_shares <> p_owner_shares THEN
          RAISE EXCEPTION 'OWNERS_STALE' USING DETAIL = '{}', HINT = 'nothing held';
        END IF;

        -- 3. Lock every account the settlement moves money on, in id order
        --    (no deadlock between settlements), and hold the price.
        WITH locked AS MATERIALIZED (
          SELECT a.id, a.party_id, a.balance - a.held AS available FROM accounts a
           WHERE a.id = ANY(p_line_accounts) OR a.party_id = p_buyer_id
           ORDER BY a.id FOR UPDATE
        )
        SELECT (array_agg(l.id) FILTER (WHERE l.party_id = p_buyer_id))[1], (array_agg(l.available) FILTER (WHERE l.party_id = p_buyer_id))[1]
          INTO v_buyer_account, v_available FROM locked l;
        IF v_available IS NULL OR v_available < p_price THEN
          RAISE EXCEPTION 'INSUFFICIENT_FUNDS'
            USING DETAIL = json_build_object('available', coalesce(v_available, 0)::text, 'required', p_price::text)::text, HINT = 'nothing held';
        END IF;
        UPDATE accounts SET held = held + p_price WHERE id = v_buyer_account;
        INSERT INTO holds (id, account_id, amount, listing_id, settlement_id) VALUES (p_hold_id, v_buyer_account, p_price, p_listing_id, p_settlement_id);

        -- 4. The ledger entry (as enqueueEntry in libs/ledger-store writes it),
        --    the settlement, the licence and its exclusion rows. A conflicting
        --    licence raises exclusion_violation here (after waiting for a
        --    concurrent one to commit or roll back).
        INSERT INTO ledger_queue (body, subject_id) VALUES (p_entry, p_licence_id) RETURNING id INTO v_entry_id;
        INSERT INTO settlements (id, listing_id, work_id, kind, buyer_id, settled_by, price, fee_bp, fee, entry_id)
        VALUES (p_settlement_id, p_listing_id, p_work_id, 'licence', p_buyer_id, p_settled_by, p_price, p_fee_bp, p_fee, v_entry_id);
        INSERT INTO licences (id, work_id, licensee_id, listing_id, settlement_id, licensors, terms, rights, exclusive, period, entry_id)
        VALUES (p_licence_id, p_work_id, p_buyer_id, p_listing_id, p_settlement_id, p_licensors, p_terms, p_rights, p_exclusive,
                daterange(p_period_start, p_period_end, '[)'), v_entry_id);
        INSERT INTO licence_exclusion (licence_id, work_id, right_code, territories, media, period, exclusive)
        SELECT p_licence_id, p_work_id, r.right_code, p_territories, p_media, p_exclusion_period, p_exclusive FROM unnest(p_exclusion_rights) AS r(right_code);

        -- 5. An exclusive listing is sold once; a non-exclusive one must still be on offer.
        IF p_exclusive THEN
          UPDATE listings SET status = 'sold', updated_at = now() WHERE id = p_listing_id AND status = 'active';
        ELSE
          PERFORM 1 FROM listings WHERE id = p_listing_id AND status = 'active';
        END IF;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'LISTING_NOT_AVAILABLE' USING DETAIL = '{}', HINT = 'hold placed';
        END IF;

        -- 6. Post the hold: the price leaves the buyer as one transfer per line
        --    (fee first, then each payee), with the balances after each.
        UPDATE holds SET status = 'posted', resolved_at = now() WHERE id = p_hold_id AND status = 'pending';
        UPDATE accounts SET balance = balance - p_price, held = held - p_price WHERE id = v_buyer_account
        RETURNING balance + p_price INTO v_balance;
        FOR i IN 1 .. coalesce(array_length(p_line_accounts, 1), 0) LOOP
          UPDATE accounts SET balance = balance + p_line_amounts[i] WHERE id = p_line_accounts[i] RETURNING balance INTO v_credit_balance;
          IF v_credit_balance IS NULL THEN
            RAISE EXCEPTION 'payee account % does not exist', p_line_accounts[i];
          END IF;
          v_balance := v_balance - p_line_amounts[i];
          INSERT INTO transfers (kind, debit_account_id, credit_account_id, amount, debit_balance_after, credit_balance_after, settlement_id, hold_id)
          VALUES (p_line_kinds[i], v_buyer_account, p_line_accounts[i], p_line_amounts[i], v_balance, v_credit_balance, p_settlement_id, p_hold_id);
        END LOOP;
        IF v_balance IS DISTINCT FROM (SELECT balance FROM accounts WHERE id = v_buyer_account) THEN
          RAISE EXCEPTION 'posting lines of hold % do not add up to its amount', p_hold_id;
        END IF;

        RETURN QUERY SELECT true, v_entry_id, v_answer;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_keys RESET (toast_tuple_target)`);
    await db.query(`DROP FUNCTION IF EXISTS exchange_settle_licence`);
    await new SettleLicenceFunction1764910000000().up(db);
  }
}
