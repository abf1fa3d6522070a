// Loads works with their owners and priority information, and runs the
// search. Keeps SQL out of the use cases.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { WorkEntity, WorkOwnerEntity } from '#persistence';
import { JobName } from '#queue';
import { toPriorityView, toWorkView, type PriorityView, type WorkView } from './work-view.js';

export interface WorkSearch {
  sha256?: string;
  owner?: string;
  q?: string;
  type?: string;
  from?: string;
  to?: string;
  limit: number;
  after?: { createdAt: string; id: string };
}

@Injectable()
export class WorksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findEntity(id: string, manager: EntityManager = this.dataSource.manager): Promise<WorkEntity | null> {
    return manager.getRepository(WorkEntity).findOneBy({ id });
  }

  async findByRegistrantAndHash(registrantId: string, sha256: Buffer, manager: EntityManager = this.dataSource.manager): Promise<WorkEntity | null> {
    return manager.getRepository(WorkEntity).findOneBy({ registrantId, sha256 });
  }

  /** The earliest registration of the same content by anyone but `registrantId`, as priority evidence. */
  async findEarlierByOther(sha256: Buffer, registrantId: string): Promise<PriorityView | null> {
    const [row]: Array<{ id: string; registration_number: string; registrant_id: string; created_at: Date; idx: string | null }> = await this.dataSource.query(
      `SELECT w.id, w.registration_number, w.registrant_id, w.created_at, e.idx
         FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id
        WHERE w.sha256 = $1 AND w.registrant_id <> $2
        ORDER BY w.created_at, w.id LIMIT 1`,
      [sha256, registrantId],
    );
    return row ? toPriorityView(row) : null;
  }

  /** Ids among `partyIds` that name no party. */
  async unknownParties(partyIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query('SELECT id FROM parties WHERE id = ANY($1::uuid[])', [partyIds]);
    return partyIds.filter((id) => !rows.some((row) => row.id === id));
  }

  /**
   * Writes a registration in ONE statement: the work, its owners, its queued
   * ledger entry and its infringement-scan job, or nothing at all if this registrant already holds
   * the same content (then it returns null). A single statement is atomic
   * without an explicit transaction and costs one round trip instead of a
   * dozen, which is what registration throughput is made of.
   */
  async insertRegistration(
    work: Omit<WorkEntity, 'createdAt'>,
    owners: Array<{ partyId: string; shareBp: number }>,
    entryBody: unknown,
    /** The registration's RFC 3161 time-stamp (issue 3), stored by the same statement; absent when switched off. */
    timeStamp?: { response: Buffer; genTime: Date; serialNumber: string },
  ): Promise<Date | null> {
    const [row]: Array<{ created_at: Date }> = await this.dataSource.query(
      `WITH w AS (
         INSERT INTO works (id, registration_number, registrant_id, sha256, title, type, authors, completed_on, publication,
                            description, derived_from_id, content_stored, size_bytes, media_type, priority_work_id, status, entry_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (registrant_id, sha256) DO NOTHING
         RETURNING id, created_at
       ), queued AS (
         INSERT INTO ledger_queue (id, body, subject_id) SELECT $17, $18::jsonb, w.id FROM w
       ), owned AS (
         INSERT INTO work_owners (work_id, party_id, share_bp) SELECT w.id, o.party_id, o.share_bp FROM w, unnest($19::uuid[], $20::int[]) AS o(party_id, share_bp)
       ), scan AS (
         -- the infringement scan, through the outbox (see libs/queue)
         INSERT INTO outbox (job_name, payload, job_id) SELECT '${JobName.FingerprintWork}', jsonb_build_object('workId', w.id), '${JobName.FingerprintWork}.' || w.id FROM w
       ), stamped AS (
         -- the time-stamp token over the work's SHA-256 (certificates, issue 3)
         INSERT INTO work_timestamps (work_id, response, gen_time, serial_number) SELECT w.id, $21, $22, $23::numeric FROM w WHERE $21::bytea IS NOT NULL
       )
       SELECT created_at FROM w`,
      [
        work.id,
        work.registrationNumber,
        work.registrantId,
        work.sha256,
        work.title,
        work.type,
        JSON.stringify(work.authors),
        work.completedOn,
        work.publication ? JSON.stringify(work.publication) : null,
        work.description,
        work.derivedFromId,
        work.contentStored,
        work.sizeBytes,
        work.mediaType,
        work.priorityWorkId,
        work.status,
        work.entryId,
        JSON.stringify(entryBody),
        owners.map((o) => o.partyId),
        owners.map((o) => o.shareBp),
        timeStamp?.response ?? null,
        timeStamp?.genTime ?? null,
        timeStamp?.serialNumber ?? null,
      ],
    );
    return row ? row.created_at : null;
  }

  async isOwnerOrRegistrant(workId: string, partyId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM works w WHERE w.id = $1 AND (w.registrant_id = $2 OR EXISTS (SELECT 1 FROM work_owners o WHERE o.work_id = w.id AND o.party_id = $2))`,
      [workId, partyId],
    );
    return rows.length > 0;
  }

  async view(work: WorkEntity): Promise<WorkView> {
    return (await this.views([work]))[0];
  }

  async views(works: WorkEntity[]): Promise<WorkView[]> {
    if (works.length === 0) return [];
    const ids = works.map((w) => w.id);
    const owners = await this.dataSource.getRepository(WorkOwnerEntity).createQueryBuilder('o').where('o.work_id IN (:...ids)', { ids }).getMany();
    const priorityIds = [...new Set(works.map((w) => w.priorityWorkId).filter((id): id is string => id !== null))];
    const priorities = new Map<string, PriorityView>();
    if (priorityIds.length) {
      const rows: Array<{ id: string; registration_number: string; registrant_id: string; created_at: Date; idx: string | null }> = await this.dataSource.query(
        `SELECT w.id, w.registration_number, w.registrant_id, w.created_at, e.idx
           FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = ANY($1::uuid[])`,
        [priorityIds],
      );
      for (const row of rows) priorities.set(row.id, toPriorityView(row));
    }
    return works.map((w) =>
      toWorkView(
        w,
        owners.filter((o) => o.workId === w.id),
        w.priorityWorkId ? (priorities.get(w.priorityWorkId) ?? null) : null,
      ),
    );
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async search(search: WorkSearch): Promise<WorkEntity[]> {
    const query = this.dataSource.getRepository(WorkEntity).createQueryBuilder('w');
    if (search.sha256) query.andWhere('w.sha256 = :sha256', { sha256: Buffer.from(search.sha256, 'hex') });
    if (search.owner) {
      query.andWhere('EXISTS (SELECT 1 FROM work_owners o WHERE o.work_id = w.id AND o.party_id = :owner)', { owner: search.owner });
    }
    if (search.q) query.andWhere(`w.title ILIKE :q ESCAPE '\\'`, { q: `%${search.q.replace(/[\\%_]/g, (c) => '\\' + c)}%` });
    if (search.type) query.andWhere('w.type = :type', { type: search.type });
    if (search.from) query.andWhere('w.created_at >= :from', { from: search.from });
    if (search.to) query.andWhere('w.created_at < :to', { to: search.to });
    if (search.after) {
      // Keyset on the cursor row's exact created_at: the cursor's time has
      // milliseconds but the column microseconds, so comparing with the
      // cursor's time skipped works registered in the same millisecond as
      // the last one of a page (issue 6).
      query.andWhere('(w.created_at, w.id) < (SELECT c.created_at, c.id FROM works c WHERE c.id = :afterId::uuid)', { afterId: search.after.id });
    }
    return query.orderBy('w.created_at', 'DESC').addOrderBy('w.id', 'DESC').limit(search.limit).getMany();
  }
}
