// SQL for reports: the officers' search (filters, text search, sort, keyset
// cursor), one report with its history, and the workflow writes.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REPORT_SELECT, toEventView, type EventRow, type ReportRow } from './report-view.js';
import { rightHolderSql } from '../../works/right-holder.js';

export type ReportSort = '-detectedAt' | 'detectedAt' | '-score' | 'score';

export interface ReportSearch {
  statuses?: string[];
  media?: string;
  minScore?: number;
  maxScore?: number;
  from?: string;
  to?: string;
  work?: string;
  owner?: string;
  suspectParty?: string;
  domain?: string;
  q?: string;
  severity?: string;
  /** Only reports whose original this party owns or registered (right holders' own view). */
  rightHolder?: string;
  sort: ReportSort;
  limit: number;
  after?: { value: string | number; id: string };
}

const SORT_COLUMN: Record<ReportSort, { column: string; dir: 'ASC' | 'DESC'; cast: string }> = {
  '-detectedAt': { column: 'r.detected_at', dir: 'DESC', cast: 'timestamptz' },
  detectedAt: { column: 'r.detected_at', dir: 'ASC', cast: 'timestamptz' },
  '-score': { column: 'r.score', dir: 'DESC', cast: 'double precision' },
  score: { column: 'r.score', dir: 'ASC', cast: 'double precision' },
};

const like = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;

@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async search(s: ReportSearch): Promise<ReportRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (s.statuses?.length) where.push(`r.status = ANY(${p(s.statuses)}::text[])`);
    if (s.media) where.push(`r.media = ${p(s.media)}`);
    if (s.severity) where.push(`r.severity = ${p(s.severity)}`);
    if (s.minScore !== undefined) where.push(`r.score >= ${p(s.minScore)}`);
    if (s.maxScore !== undefined) where.push(`r.score <= ${p(s.maxScore)}`);
    if (s.from) where.push(`r.detected_at >= ${p(s.from)}::timestamptz`);
    if (s.to) where.push(`r.detected_at < ${p(s.to)}::timestamptz`);
    if (s.work) {
      const w = p(s.work);
      where.push(`(r.original_work_id = ${w}::uuid OR r.suspect_work_id = ${w}::uuid)`);
    }
    if (s.owner) where.push(`EXISTS (SELECT 1 FROM work_owners ow WHERE ow.work_id = r.original_work_id AND ow.party_id = ${p(s.owner)}::uuid)`);
    if (s.rightHolder) {
      const h = p(s.rightHolder);
      where.push(rightHolderSql('r.original_work_id', 'o.registrant_id', `${h}::uuid`));
    }
    if (s.suspectParty) where.push(`r.suspect_party_ids @> ARRAY[${p(s.suspectParty)}::uuid]`);
    if (s.domain) {
      const d = s.domain.toLowerCase();
      where.push(`(r.source_domain = ${p(d)} OR r.source_domain LIKE ${p(`%.${d.replace(/[\\%_]/g, (c) => '\\' + c)}`)})`);
    }
    if (s.q) {
      const q = p(like(s.q));
      where.push(`(r.search_text LIKE ${q} OR EXISTS (SELECT 1 FROM report_events ev WHERE ev.report_id = r.id AND lower(ev.note) LIKE ${q}))`);
    }
    const sort = SORT_COLUMN[s.sort];
    if (s.after) {
      const op = sort.dir === 'DESC' ? '<' : '>';
      where.push(`(${sort.column}, r.id) ${op} (${p(s.after.value)}::${sort.cast}, ${p(s.after.id)}::uuid)`);
    }
    const sql = `${REPORT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sort.column} ${sort.dir}, r.id ${sort.dir} LIMIT ${p(s.limit)}`;
    return this.dataSource.query(sql, params);
  }

  async find(id: string): Promise<ReportRow | undefined> {
    const rows: ReportRow[] = await this.dataSource.query(`${REPORT_SELECT} WHERE r.id = $1`, [id]);
    return rows[0];
  }

  async history(id: string) {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT e.at, e.kind, e.from_status, e.to_status, e.actor_kind, e.actor_party_id, e.actor_key_id, e.actor_role, p.name AS actor_name, e.note, e.details
         FROM report_events e LEFT JOIN parties p ON p.id = e.actor_party_id WHERE e.report_id = $1 ORDER BY e.id`,
      [id],
    );
    return rows.map(toEventView);
  }

  /** Whether `partyId` holds rights in the report's original work (see right-holder.ts). */
  async isRightHolder(reportId: string, partyId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM infringement_reports r JOIN works o ON o.id = r.original_work_id
        WHERE r.id = $1 AND ${rightHolderSql('o.id', 'o.registrant_id', '$2::uuid')}`,
      [reportId, partyId],
    );
    return rows.length > 0;
  }

  async ledgerIndexOfWork(workId: string): Promise<{ idx: number | null; entryId: string; createdAt: Date } | undefined> {
    const [row]: Array<{ idx: string | null; entry_id: string; created_at: Date }> = await this.dataSource.query(
      'SELECT e.idx, w.entry_id, w.created_at FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = $1',
      [workId],
    );
    return row ? { idx: row.idx === null ? null : Number(row.idx), entryId: String(row.entry_id), createdAt: row.created_at } : undefined;
  }
}
