// Loads works with their owners and priority information, and runs the
// search. Keeps SQL out of the use cases.
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { WorkEntity, WorkOwnerEntity } from '#persistence';
import { JobName } from '#queue';
import { toPriorityView, toWorkView, type PriorityView, type WorkView } from './work-view.js';

export interface PriorRegistrations {
  /** This registrant's own registration of the same content. */
  ownWorkId: string | null;
  /** The earliest registration of the same content by another party. */
  earlier: PriorityView | null;
}

export interface NewRegistration {
  /** Its entry id is the queue id the insert itself draws (see insertRegistrations). */
  work: Omit<WorkEntity, 'createdAt' | 'entryId'>;
  owners: Array<{ partyId: string; shareBp: number }>;
  /** The queued ledger entry. */
  entry: unknown;
  /** The registration's RFC 3161 time-stamp (issue 3); absent when switched off. */
  timeStamp?: { response: Buffer; genTime: Date; serialNumber: string };
}

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

/** Where each buffer starts in their concatenation. */
function offsetsOf(buffers: Buffer[]): number[] {
  let offset = 0;
  return buffers.map((buffer) => {
    const start = offset;
    offset += buffer.length;
    return start;
  });
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

  /**
   * For each (registrant, content) pair, in ONE statement: the id of that
   * registrant's own registration of the content, if any, and the earliest
   * registration of the same content by anyone else (priority evidence).
   */
  async priorRegistrations(pairs: Array<{ registrantId: string; sha256: Buffer }>): Promise<PriorRegistrations[]> {
    const rows: Array<{ i: string; own_id: string | null; id: string | null; registration_number: string; registrant_id: string; created_at: Date; idx: string | null }> =
      await this.dataSource.query(
        `SELECT q.i, own.id AS own_id, pri.id, pri.registration_number, pri.registrant_id, pri.created_at, pri.idx
           FROM unnest($1::uuid[], $2::bytea[]) WITH ORDINALITY AS q(registrant_id, sha256, i)
           LEFT JOIN LATERAL (SELECT w.id FROM works w WHERE w.registrant_id = q.registrant_id AND w.sha256 = q.sha256) own ON true
           LEFT JOIN LATERAL (
             SELECT w.id, w.registration_number, w.registrant_id, w.created_at, e.idx
               FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id
              WHERE w.sha256 = q.sha256 AND w.registrant_id <> q.registrant_id
              ORDER BY w.created_at, w.id LIMIT 1) pri ON true
          ORDER BY q.i`,
        [pairs.map((p) => p.registrantId), pairs.map((p) => p.sha256)],
      );
    return rows.map((row) => ({ ownWorkId: row.own_id, earlier: row.id ? toPriorityView({ ...row, id: row.id }) : null }));
  }

  /** Ids among `partyIds` that name no party. */
  async unknownParties(partyIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query('SELECT id FROM parties WHERE id = ANY($1::uuid[])', [partyIds]);
    return partyIds.filter((id) => !rows.some((row) => row.id === id));
  }

  /**
   * Writes registrations in ONE statement: each work, its owners, its queued
   * ledger entry, its infringement-scan job and its time-stamp, or nothing of
   * a registration whose registrant already holds the same content (its
   * answer is then null). A single statement is atomic without an explicit
   * transaction, and many registrations share one round trip and one commit,
   * which is what registration throughput is made of. Callers batch with
   * StatementBatcher, which reruns a failed batch one registration at a time.
   */
  async insertRegistrations(registrations: NewRegistration[]): Promise<Array<{ createdAt: Date; entryId: string } | null>> {
    const column = <T>(pick: (r: NewRegistration) => T) => registrations.map(pick);
    const owners = registrations.flatMap((r) => r.owners.map((o) => ({ workId: r.work.id, ...o })));
    const stamped = registrations.filter((r) => r.timeStamp);
    const responses = stamped.map((r) => r.timeStamp!.response);
    // The entry ids (ledger_queue ids, which order the ledger) are drawn here,
    // as the rows are written. Drawn ahead in blocks per process, a quiet
    // process's low ids could put a later registration of the same content
    // ahead of an earlier one on the ledger while entries waited in the queue
    // (found in review): priority is read from ledger order.
    const rows: Array<{ id: string; entry_id: string; created_at: Date }> = await this.dataSource.query(
      `WITH w AS (
         INSERT INTO works (id, registration_number, registrant_id, sha256, title, type, authors, completed_on, publication,
                            description, derived_from_id, content_stored, size_bytes, media_type, priority_work_id, status, entry_id)
         SELECT u.*, nextval('ledger_queue_id_seq')
           FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bytea[], $5::text[], $6::text[], $7::jsonb[], $8::date[], $9::jsonb[],
                       $10::text[], $11::uuid[], $12::boolean[], $13::bigint[], $14::text[], $15::uuid[], $16::text[]) AS u
         ON CONFLICT (registrant_id, sha256) DO NOTHING
         RETURNING id, entry_id, created_at
       ), queued AS (
         INSERT INTO ledger_queue (id, body, subject_id)
         SELECT w.entry_id, q.body, w.id FROM w JOIN unnest($1::uuid[], $17::jsonb[]) AS q(work_id, body) ON q.work_id = w.id
       ), owned AS (
         INSERT INTO work_owners (work_id, party_id, share_bp)
         SELECT w.id, o.party_id, o.share_bp FROM w JOIN unnest($18::uuid[], $19::uuid[], $20::int[]) AS o(work_id, party_id, share_bp) ON o.work_id = w.id
       ), scan AS (
         -- the infringement scan, through the outbox (see libs/queue)
         INSERT INTO outbox (job_name, payload, job_id) SELECT '${JobName.FingerprintWork}', jsonb_build_object('workId', w.id), '${JobName.FingerprintWork}.' || w.id FROM w
       ), stamped AS (
         -- the time-stamp token over the work's SHA-256 (certificates, issue 3)
         -- (the responses travel as one bytea cut on the server: a bytea[] literal would hex-encode each)
         INSERT INTO work_timestamps (work_id, response, gen_time, serial_number)
         SELECT w.id, substring($22::bytea FROM t.off + 1 FOR t.len), t.gen_time, t.serial_number
           FROM w JOIN unnest($21::uuid[], $25::int[], $26::int[], $23::timestamptz[], $24::numeric[]) AS t(work_id, off, len, gen_time, serial_number) ON t.work_id = w.id
       )
       SELECT id, entry_id, created_at FROM w`,
      [
        column((r) => r.work.id),
        column((r) => r.work.registrationNumber),
        column((r) => r.work.registrantId),
        column((r) => r.work.sha256),
        column((r) => r.work.title),
        column((r) => r.work.type),
        column((r) => JSON.stringify(r.work.authors)),
        column((r) => r.work.completedOn),
        column((r) => (r.work.publication ? JSON.stringify(r.work.publication) : null)),
        column((r) => r.work.description),
        column((r) => r.work.derivedFromId),
        column((r) => r.work.contentStored),
        column((r) => r.work.sizeBytes),
        column((r) => r.work.mediaType),
        column((r) => r.work.priorityWorkId),
        column((r) => r.work.status),
        column((r) => JSON.stringify(r.entry)),
        owners.map((o) => o.workId),
        owners.map((o) => o.partyId),
        owners.map((o) => o.shareBp),
        stamped.map((r) => r.work.id),
        Buffer.concat(responses),
        stamped.map((r) => r.timeStamp!.genTime),
        stamped.map((r) => r.timeStamp!.serialNumber),
        offsetsOf(responses),
        responses.map((response) => response.length),
      ],
    );
    const inserted = new Map(rows.map((row) => [row.id, { createdAt: row.created_at, entryId: String(row.entry_id) }]));
    return registrations.map((r) => inserted.get(r.work.id) ?? null);
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
