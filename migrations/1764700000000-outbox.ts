// The transactional outbox: jobs recorded by business transactions, waiting
// for the relay to move them to BullMQ. Rows are deleted once relayed.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbox1764700000000 implements MigrationInterface {
  name = 'Outbox1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        job_name text NOT NULL CHECK (length(job_name) BETWEEN 1 AND 100),
        payload jsonb NOT NULL,
        -- stable BullMQ job id when a job must not run twice for one cause
        -- (BullMQ refuses ':' in custom ids)
        job_id text CHECK (job_id IS NULL OR (length(job_id) BETWEEN 1 AND 200 AND position(':' in job_id) = 0)),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE IF EXISTS outbox');
  }
}
