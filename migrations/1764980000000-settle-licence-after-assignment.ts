// exchange_settle_licence() reads the work's owners after share-locking the
// work's row, so it waits for an assignment of that work being settled (which
// holds the row FOR NO KEY UPDATE from its first read; see
// WorkListability.assertListable). Before, the owners were read without a
// lock: a licence bought while an assignment committed could be paid to the
// owner who had just sold its share, and its licence.granted entry landed on
// the ledger after the ownership.transferred entry that made it wrong.
//
// The function is changed in place: this adds one statement before step 2
// (and rewords that step's comment), found in the stored function text.
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SIGNATURE = `exchange_settle_licence(text, text, bytea, integer, jsonb, uuid, uuid, uuid, uuid, uuid, uuid, bigint, integer, bigint, uuid[], integer[],
  text[], uuid[], bigint[], uuid, jsonb, jsonb, text[], boolean, date, date, int4multirange, int4multirange, int4multirange, daterange, jsonb)`;

const UNLOCKED = `        -- 2. The split was planned for these owners (read without a lock, like
        --    the work's listability; an assignment locks them to change them).
`;
const AFTER_ASSIGNMENTS = `        -- 2. The split was planned for these owners. The work's row is
        --    share-locked first: an assignment of the work being settled holds
        --    it, so its new owners are read here, never the ones it replaces.
        PERFORM 1 FROM works WHERE id = p_work_id FOR SHARE;
`;

async function replaceInFunction(db: QueryRunner, from: string, to: string): Promise<void> {
  const [{ definition }]: Array<{ definition: string }> = await db.query(`SELECT pg_get_functiondef($1::regprocedure) AS definition`, [SIGNATURE.replace(/\s+/g, ' ')]);
  if (definition.split(from).length !== 2) throw new Error('exchange_settle_licence() does not hold the expected step 2 exactly once');
  await db.query(definition.replace(from, to));
}

export class SettleLicenceAfterAssignment1764980000000 implements MigrationInterface {
  name = 'SettleLicenceAfterAssignment1764980000000';

  async up(db: QueryRunner): Promise<void> {
    await replaceInFunction(db, UNLOCKED, AFTER_ASSIGNMENTS);
  }

  async down(db: QueryRunner): Promise<void> {
    await replaceInFunction(db, AFTER_ASSIGNMENTS, UNLOCKED);
  }
}
