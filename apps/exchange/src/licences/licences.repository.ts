// SQL for licences: insert (with the settlement), load, and the candidates
// for "is this use licensed?".
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { LicenceRecord } from './licence-view.js';

interface LicenceRow {
  id: string;
  work_id: string;
  licensee_id: string;
  licensors: LicenceRecord['licensors'];
  terms: LicenceRecord['terms'];
  exclusive: boolean;
  status: 'active';
  listing_id: string;
  settlement_id: string;
  entry_id: string;
  granted_at: Date;
}

function toRecord(row: LicenceRow): LicenceRecord {
  return {
    id: row.id,
    workId: row.work_id,
    licenseeId: row.licensee_id,
    licensors: row.licensors,
    terms: row.terms,
    exclusive: row.exclusive,
    status: row.status,
    listingId: row.listing_id,
    settlementId: row.settlement_id,
    entryId: String(row.entry_id),
    grantedAt: row.granted_at,
  };
}

@Injectable()
export class LicencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, licence: Omit<LicenceRecord, 'grantedAt' | 'status'>): Promise<LicenceRecord> {
    const [row]: LicenceRow[] = await manager.query(
      `INSERT INTO licences (id, work_id, licensee_id, listing_id, settlement_id, licensors, terms, rights, exclusive, period, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, daterange($10::date, $11::date, '[)'), $12)
       RETURNING *`,
      [
        licence.id,
        licence.workId,
        licence.licenseeId,
        licence.listingId,
        licence.settlementId,
        JSON.stringify(licence.licensors),
        JSON.stringify(licence.terms),
        licence.terms.rights,
        licence.exclusive,
        licence.terms.period.start,
        licence.terms.period.end,
        licence.entryId,
      ],
    );
    return toRecord(row);
  }

  async find(id: string): Promise<LicenceRecord | undefined> {
    const rows: LicenceRow[] = await this.dataSource.query('SELECT * FROM licences WHERE id = $1', [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Active licences of the work held by the licensee that include the right on that day. */
  async candidatesFor(workId: string, licenseeId: string, right: string, at: string): Promise<LicenceRecord[]> {
    const rows: LicenceRow[] = await this.dataSource.query(
      `SELECT * FROM licences
        WHERE work_id = $1 AND licensee_id = $2 AND status = 'active' AND $3 = ANY(rights) AND period @> $4::date
        ORDER BY granted_at, id LIMIT 200`,
      [workId, licenseeId, right, at],
    );
    return rows.map(toRecord);
  }
}
