// The transactional outbox: business transactions record the jobs they cause
// in PostgreSQL, in the same transaction, and a relay moves them to BullMQ. A
// Redis outage therefore delays scans but never loses one.
import { JobName, type JobPayloads } from './job-contracts.js';

export type Sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

/**
 * Records a job. `dedupeKey` (no ':' allowed) makes the job id stable (BullMQ ignores a second
 * add with the same id), so a retried business operation never runs a job twice.
 */
export async function enqueueJob<N extends JobName>(sql: Sql, name: N, data: JobPayloads[N], dedupeKey?: string): Promise<void> {
  await sql(`INSERT INTO outbox (job_name, payload, job_id) VALUES ($1, $2, $3)`, [name, JSON.stringify(data), dedupeKey ?? null]);
}

/** SQL fragment for INSERT ... WITH statements that write an outbox row alongside other rows. */
export const OUTBOX_COLUMNS = '(job_name, payload, job_id)';
