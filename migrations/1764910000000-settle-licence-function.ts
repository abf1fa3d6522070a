// One database call settles a licence purchase (issue 4, speed).
//
// The settlement used to be about fifteen round trips inside one transaction
// (BEGIN, claim the key, place the hold, check, enqueue the ledger entry,
// insert settlement, licence and exclusion rows, store the answer, post the
// hold, COMMIT). The buyer's row was locked from the hold to the commit, so
// every round trip lengthened the time other purchases queued on it, and on a
// loaded machine each round trip costs far more than the SQL it carries.
// exchange_settle_licence() runs exactly the same steps, in the same order,
// inside the database: the application plans everything that is pure (the
// split, the ledger entry, the exclusion rows, the answer) and sends it in one
// statement, which is its own transaction.
//
// What stays as it was:
// - two-phase hold: the hold row is inserted pending (held += price) and then
//   posted (balance -= price, held -= price), each step through the triggers
//   and CHECKs of the exchange migration; a refusal after the hold rolls it all
//   back and the caller records the voided hold in a new transaction;
// - the Idempotency-Key is claimed first (a concurrent retry waits on it) and
//   the answer stored in the same transaction as the change;
// - licence_exclusion's constraint decides races between exclusive licences.
// What is new: every account the settlement touches (buyer, payees, fee
// account) is locked in one statement in id order, so two settlements can no
// longer deadlock on each other's rows; and the work's owners are compared
// with those the split was planned for (a concurrent assignment would
// otherwise pay the old owners).
//
// Refusals are raised as SQLSTATE P0001 with the error code as the message,
// details as JSON in DETAIL, and HINT 'hold placed' when the money had been
// held (the caller then leaves the voided hold as the attempt's trace).
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SettleLicenceFunction1764910000000 implements MigrationInterface {
  name = 'SettleLicenceFunction1764910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION exchange_settle_licence(
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
        v_entry_id bigint;
        v_now text;
        v_answer jsonb;
        i integer;
      BEGIN
        -- 1. The key, first: a concurrent request with the same key waits here
        --    for the first one to end; if it committed, nothing is done.
        IF p_claim_key IS NOT NULL THEN
          INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (p_claim_scope, p_claim_key, p_claim_hash) ON CONFLICT DO NOTHING;
          IF NOT FOUND THEN
            RETURN QUERY SELECT false, NULL::bigint, NULL::jsonb;
            RETURN;
          END IF;
        END IF;

        -- 2. The split was planned for these owners (read without a lock, like
        --    the work's listability; an assignment locks them to change them).
        IF (SELECT coalesce(array_agg(o.party_id ORDER BY o.party_id), '{}') FROM work_owners o WHERE o.work_id = p_work_id) <> p_owner_ids
           OR (SELECT coalesce(array_agg(o.share_bp ORDER BY o.party_id), '{}') FROM work_owners o WHERE o.work_id = p_work_id) <> p_owner_shares THEN
          RAISE EXCEPTION 'OWNERS_STALE' USING DETAIL = '{}', HINT = 'nothing held';
        END IF;

        -- 3. Lock every account the settlement moves money on, in id order
        --    (no deadlock between settlements), and hold the price.
        SELECT a.id, a.balance - a.held INTO v_buyer_account, v_available FROM accounts a WHERE a.party_id = p_buyer_id;
        PERFORM 1 FROM accounts a WHERE a.id = ANY(p_line_accounts || v_buyer_account) ORDER BY a.id FOR UPDATE;
        SELECT a.balance - a.held INTO v_available FROM accounts a WHERE a.id = v_buyer_account;
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

        -- 6. The answer, with the database's time (settlements.created_at and
        --    licences.granted_at are now() too), in the format of Date.toISOString().
        v_now := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_answer := jsonb_set(jsonb_set(p_answer, '{settlement,settledAt}', to_jsonb(v_now)), '{licence,grantedAt}', to_jsonb(v_now));
        IF p_claim_key IS NOT NULL THEN
          UPDATE idempotency_keys SET response_status = p_answer_status, response_body = v_answer, completed_at = now()
           WHERE scope = p_claim_scope AND key = p_claim_key;
        END IF;

        -- 7. Post the hold: the price leaves the buyer as one transfer per line
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
    await db.query(`DROP FUNCTION IF EXISTS exchange_settle_licence`);
  }
}
