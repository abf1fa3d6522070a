// Property test of the exclusion constraint on real PostgreSQL: for random
// sequences of licences over a small domain (so collisions are frequent), the
// database accepts a licence exactly when the brute-force reference model
// says it may coexist with those accepted before it. The probe table is a
// copy of licence_exclusion with the same generated column and constraint
// (LIKE ... INCLUDING ALL), minus the foreign key, so no licence rows are needed.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { conflicts, exclusionRow, toExclusionRowParams, type LicenceTerms } from '#licensing';
import { referenceConflict, smallTermsArb } from '../../libs/licensing/test-support/small-domain.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';

describe('licence exclusion constraint (database level)', () => {
  let db: ScratchDatabase;
  let client: pg.PoolClient;

  beforeAll(async () => {
    db = await createScratchDatabase('overlap');
    client = await db.pool.connect();
    await client.query('CREATE TABLE probe (LIKE licence_exclusion INCLUDING ALL)');
  });
  afterAll(async () => {
    client.release();
    await db.drop();
  });

  async function tryInsert(workId: string, terms: LicenceTerms): Promise<boolean> {
    const row = toExclusionRowParams(exclusionRow(terms));
    await client.query('SAVEPOINT licence');
    try {
      await client.query(
        `INSERT INTO probe (licence_id, work_id, rights, territories, media, period, exclusive)
         VALUES ($1, $2, $3::int4multirange, $4::int4multirange, $5::int4multirange, $6::daterange, $7)`,
        [randomUUID(), workId, row.rights, row.territories, row.media, row.period, terms.exclusive],
      );
      await client.query('RELEASE SAVEPOINT licence');
      return true;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT licence');
      if ((error as { code?: string }).code !== '23P01') throw error;
      return false;
    }
  }

  it('accepts a licence iff no accepted licence overlaps it with an exclusive side', async () => {
    await client.query('BEGIN');
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(smallTermsArb, { minLength: 1, maxLength: 8 }), async (sequence) => {
          const workId = randomUUID();
          const accepted: LicenceTerms[] = [];
          for (const terms of sequence) {
            const expected = referenceConflict(terms, accepted) === -1;
            expect(conflicts(terms, accepted).conflict).toBe(!expected);
            expect(await tryInsert(workId, terms)).toBe(expected);
            if (expected) accepted.push(terms);
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      await client.query('ROLLBACK');
    }
  }, 60_000);

  it('keeps licences of different works apart', async () => {
    await client.query('BEGIN');
    try {
      const terms = (await fc.sample(smallTermsArb, 1))[0];
      const exclusive = { ...terms, exclusive: true };
      expect(await tryInsert(randomUUID(), exclusive)).toBe(true);
      expect(await tryInsert(randomUUID(), exclusive)).toBe(true);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
