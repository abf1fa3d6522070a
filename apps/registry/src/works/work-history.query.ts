// Every ledger entry about a work, integrated or still queued, oldest first.
import { Injectable } from '@nestjs/common';
import { decodeEntry } from '#ledger';
import { LedgerReader } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import { DataSource } from 'typeorm';
import { WorksRepository } from './works.repository.js';

@Injectable()
export class WorkHistoryQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly works: WorksRepository,
    private readonly reader: LedgerReader,
  ) {}

  async execute(workId: string) {
    if (!(await this.works.findEntity(workId))) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
    const integrated = await this.reader.entriesAbout(workId);
    const queued: Array<{ id: string; body: unknown; created_at: Date }> = await this.dataSource.query(
      'SELECT id, body, created_at FROM ledger_queue WHERE subject_id = $1 ORDER BY id',
      [workId],
    );
    return {
      workId,
      entries: [
        ...integrated.map((e) => ({
          status: 'integrated' as const,
          ledgerIndex: e.index,
          kind: e.kind,
          integratedAt: e.integratedAt.toISOString(),
          leafHash: e.leafHash.toString('base64'),
          data: e.data.toString('base64'),
          entry: decodeEntry(e.data),
        })),
        ...queued.map((q) => ({ status: 'pending' as const, ledgerIndex: null, queuedAt: q.created_at.toISOString(), entry: q.body })),
      ],
    };
  }
}
