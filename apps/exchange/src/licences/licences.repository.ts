// SQL for licences: insert (with the settlement), load, and the candidates
// for "is this use licensed?".
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
