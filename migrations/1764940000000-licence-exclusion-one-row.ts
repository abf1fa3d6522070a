// licence_exclusion: one row per licence, its rights as an int4multirange,
// instead of one row per (licence, right) with the right as text (issue 4,
// CPU per purchase).
//
// Each row is a GiST insert into a six-column index plus an exclusion probe
// of that index, and that made the exclusion rows the dearest statement of a
// settlement: for the usual two rights, 0.17 ms against 0.07 ms for one row
// carrying both (a licence of all twelve rights wrote twelve rows). The
// constraint decides the same thing: two licences share a right iff their
// rights multiranges overlap, exactly as two country lists share a country
// (libs/licensing/src/exclusion-rows.ts has the argument and the keys; the
// key of a right is its item number in art. 10 of the Copyright Law).
//
// Existing rows are merged per licence (the rows of one licence differ only in
// the right), and exchange_settle_licence() takes the rights as a multirange:
// its signature changes, so it is dropped and created again, with the body of
// settle-licence-fewer-writes but for the single-row insert.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SettleLicenceFewerWrites1764920000000 } from './1764920000000-settle-licence-fewer-writes.js';

/** Persisted right numbers, as rightKey() in libs/licensing: never change or reuse one. */
const RIGHT_KEYS: ReadonlyArray<[string, number]> = [
  ['reproduction', 5],
  ['distribution', 6],
  ['rental', 7],
  ['exhibition', 8],
  ['performance', 9],
  ['screening', 10],
  ['broadcast', 11],
  ['information_network_dissemination', 12],
  ['filming', 13],
  ['adaptation', 14],
  ['translation', 15],
  ['compilation', 16],
];
const RIGHT_KEYS_SQL = `(VALUES ${RIGHT_KEYS.map(([code, key]) => `('${code}', ${key})`).join(', ')}) AS k(code, key)`;

const OLD_SIGNATURE = `exchange_settle_licence(text, text, bytea, integer, jsonb, uuid, uuid, uuid, uuid, uuid, uuid, bigint, integer, bigint, uuid[], integer[],
  text[], uuid[], bigint[], uuid, jsonb, jsonb, text[], boolean, date, date, text[], int4multirange, int4multirange, daterange, jsonb)`;
const NEW_SIGNATURE = `exchange_settle_licence(text, text, bytea, integer, jsonb, uuid, uuid, uuid, uuid, uuid, uuid, bigint, integer, bigint, uuid[], integer[],
  text[], uuid[], bigint[], uuid, jsonb, jsonb, text[], boolean, date, date, int4multirange, int4multirange, int4multirange, daterange, jsonb)`;

export class LicenceExclusionOneRow1764940000000 implements MigrationInterface {
  name = 'LicenceExclusionOneRow1764940000000';

  async up(db: QueryRunner): Promise<void> {
    // ---- the table: one row per licence ----
    const [unknown] = await db.query(
      `SELECT x.right_code FROM licence_exclusion x WHERE x.right_code NOT IN (SELECT k.code FROM ${RIGHT_KEYS_SQL}) LIMIT 1`,
    );
    if (unknown) throw new Error(`licence_exclusion holds a right without a key: ${unknown.right_code}`);
    await db.query(`ALTER TABLE licence_exclusion DROP CONSTRAINT licence_exclusion_no_overlap`);
    await db.query(`ALTER TABLE licence_exclusion ADD COLUMN rights int4multirange`);
    // The rows of one licence differ only in the right: keep the first, with
    // all the rights. (Grouped by every other column, so rows that differed
    // in anything else would stay apart.)
    await db.query(`
      UPDATE licence_exclusion x SET rights = m.rights
        FROM (SELECT min(x.row_id) AS row_id, range_agg(int4range(k.key, k.key + 1)) AS rights
                FROM licence_exclusion x JOIN ${RIGHT_KEYS_SQL} ON k.code = x.right_code
               GROUP BY x.licence_id, x.work_id, x.territories, x.media, x.period, x.exclusive) m
       WHERE x.row_id = m.row_id`);
    await db.query(`DELETE FROM licence_exclusion WHERE rights IS NULL`);
    await db.query(`ALTER TABLE licence_exclusion ALTER COLUMN rights SET NOT NULL, DROP COLUMN right_code`);
    await db.query(`
      ALTER TABLE licence_exclusion ADD CONSTRAINT licence_exclusion_no_overlap EXCLUDE USING gist (
        work_id WITH =, rights WITH &&, territories WITH &&, media WITH &&, period WITH &&, exclusivity WITH &&
      )`);

    // ---- the settlement function, rights as a multirange ----
    await db.query(`DROP FUNCTION ${OLD_SIGNATURE}`);
    await db.query(`
      CREATE FUNCTION exchange_settle_licence(
        p_claim_scope text, p_claim_key text, p_claim_hash bytea, p_answer_status integer, p_answer jsonb,
        p_settlement_id uuid, p_hold_id uuid, p_listing_id uuid, p_work_id uuid, p_buyer_id uuid, p_settled_by uuid,
        p_price bigint, p_fee_bp integer, p_fee bigint,
        p_owner_ids uuid[], p_owner_shares integer[],
        p_line_kinds text[], p_line_accounts uuid[], p_line_amounts bigint[],
        p_licence_id uuid, p_licensors jsonb, p_terms jsonb, p_rights text[], p_exclusive boolean, p_period_start date, p_period_end date,
        p_exclusion_rights int4multirange, p_territories int4multirange, p_media int4multirange, p_exclusion_period daterange,
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
        --    the settlement, the licence and its exclusion row. A conflicting
        --    licence raises exclusion_violation here (after waiting for a
        --    concurrent one to commit or roll back).
        INSERT INTO ledger_queue (body, subject_id) VALUES (p_entry, p_licence_id) RETURNING id INTO v_entry_id;
        INSERT INTO settlements (id, listing_id, work_id, kind, buyer_id, settled_by, price, fee_bp, fee, entry_id)
        VALUES (p_settlement_id, p_listing_id, p_work_id, 'licence', p_buyer_id, p_settled_by, p_price, p_fee_bp, p_fee, v_entry_id);
        INSERT INTO licences (id, work_id, licensee_id, listing_id, settlement_id, licensors, terms, rights, exclusive, period, entry_id)
        VALUES (p_licence_id, p_work_id, p_buyer_id, p_listing_id, p_settlement_id, p_licensors, p_terms, p_rights, p_exclusive,
                daterange(p_period_start, p_period_end, '[)'), v_entry_id);
        INSERT INTO licence_exclusion (licence_id, work_id, rights, territories, media, period, exclusive)
        VALUES (p_licence_id, p_work_id, p_exclusion_rights, p_territories, p_media, p_exclusion_period, p_exclusive);

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
    await db.query(`DROP FUNCTION ${NEW_SIGNATURE}`);
    await new SettleLicenceFewerWrites1764920000000().up(db);

    // One row per right again (the kept row's right first, the others appended).
    await db.query(`ALTER TABLE licence_exclusion DROP CONSTRAINT licence_exclusion_no_overlap`);
    await db.query(`ALTER TABLE licence_exclusion ADD COLUMN right_code text`);
    await db.query(`
      INSERT INTO licence_exclusion (licence_id, work_id, right_code, rights, territories, media, period, exclusive)
      SELECT x.licence_id, x.work_id, k.code, x.rights, x.territories, x.media, x.period, x.exclusive
        FROM licence_exclusion x
       CROSS JOIN LATERAL unnest(x.rights) AS r(span)
       CROSS JOIN LATERAL generate_series(lower(r.span), upper(r.span) - 1) AS g(key)
        JOIN ${RIGHT_KEYS_SQL} ON k.key = g.key`);
    await db.query(`DELETE FROM licence_exclusion WHERE right_code IS NULL`);
    await db.query(`ALTER TABLE licence_exclusion ALTER COLUMN right_code SET NOT NULL, DROP COLUMN rights`);
    await db.query(`
      ALTER TABLE licence_exclusion ADD CONSTRAINT licence_exclusion_no_overlap EXCLUDE USING gist (
        work_id WITH =, right_code WITH =, territories WITH &&, media WITH &&, period WITH &&, exclusivity WITH &&
      )`);
  }
}
