// Writes amendments and withdrawals: each in one transaction with its ledger
// entry, under a lock on the work row so corrections of one work are
// numbered and applied strictly one after another.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { PendingEntry } from '#ledger';
import { enqueueEntry, type Sql } from '#ledger-store';
import { WorkAmendmentEntity, WorkEntity, WorkWithdrawalEntity } from '#persistence';
import type { Standing } from './correction-rights.js';

const managerSql = (manager: EntityManager): Sql => (text, params) => manager.query(text, params);

/** Work columns by amendable field name. */
const COLUMNS: Record<string, keyof WorkEntity> = {
  title: 'title',
  type: 'type',
  authors: 'authors',
  completedOn: 'completedOn',
  publication: 'publication',
  description: 'description',
  derivedFrom: 'derivedFromId',
};

@Injectable()
export class CorrectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager, locked: WorkEntity) => Promise<T>, workId: string): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.getRepository(WorkEntity).findOne({ where: { id: workId }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw new Error(`work ${workId} vanished`);
      return work(manager, locked);
    });
  }

  /** Where `partyId` stands towards a work locked by transaction() (see correction-rights.ts). */
  async standing(manager: EntityManager, work: WorkEntity, partyId: string): Promise<Standing> {
    const [row]: Array<{ share_bp: number | null; assigned: boolean }> = await manager.query(
      `SELECT (SELECT o.share_bp FROM work_owners o WHERE o.work_id = $1 AND o.party_id = $2) AS share_bp,
              EXISTS (SELECT 1 FROM assignments a WHERE a.work_id = $1) AS assigned`,
      [work.id, partyId],
    );
    return { isRegistrant: work.registrantId === partyId, shareBp: row.share_bp ?? 0, assigned: row.assigned };
  }

  async nextAmendmentSeq(manager: EntityManager, workId: string): Promise<number> {
    const [{ seq }] = await manager.query('SELECT COALESCE(max(seq), 0) + 1 AS seq FROM work_amendments WHERE work_id = $1', [workId]);
    return Number(seq);
  }

  async insertAmendment(
    manager: EntityManager,
    row: Omit<WorkAmendmentEntity, 'id' | 'entryId' | 'createdAt'>,
    entry: PendingEntry,
  ): Promise<WorkAmendmentEntity> {
    const entryId = await enqueueEntry(managerSql(manager), entry);
    const id = randomUUID();
    await manager.query(
      `INSERT INTO work_amendments (id, work_id, seq, applicant_id, reason, changes, metadata, previous_metadata, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9)`,
      [id, row.workId, row.seq, row.applicantId, row.reason, JSON.stringify(row.changes), JSON.stringify(row.metadata), JSON.stringify(row.previousMetadata), entryId],
    );
    // The works row is the queryable view: it shows the corrected values.
    const set: Partial<Record<keyof WorkEntity, unknown>> = {};
    for (const [field, value] of Object.entries(row.changes)) set[COLUMNS[field]!] = value ?? null;
    await manager.getRepository(WorkEntity).update({ id: row.workId }, set as never);
    return manager.getRepository(WorkAmendmentEntity).findOneByOrFail({ id });
  }

  async insertWithdrawal(manager: EntityManager, row: Omit<WorkWithdrawalEntity, 'entryId' | 'createdAt'>, entry: PendingEntry): Promise<WorkWithdrawalEntity> {
    const entryId = await enqueueEntry(managerSql(manager), entry);
    await manager.query(
      `INSERT INTO work_withdrawals (work_id, applicant_id, reason, metadata, entry_id) VALUES ($1, $2, $3, $4::jsonb, $5)`,
      [row.workId, row.applicantId, row.reason, JSON.stringify(row.metadata), entryId],
    );
    await manager.getRepository(WorkEntity).update({ id: row.workId }, { status: 'withdrawn' });
    return manager.getRepository(WorkWithdrawalEntity).findOneByOrFail({ workId: row.workId });
  }
}
