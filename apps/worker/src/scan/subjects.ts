// What the scan needs to know about the thing it scans: a registered work or
// a sighting (a suspect copy reported from the field).
import type { Medium, Right } from '#licensing';
import type { Sql } from './scan-db.js';

export type SubjectKind = 'work' | 'sighting';

export interface WorkSubject {
  kind: 'work';
  id: string;
  sha256: string;
  title: string;
  type: string;
  registrationNumber: string;
  contentStored: boolean;
  status: string;
  registeredAt: Date;
  /** Ledger index of the work.registered entry; null until integrated. */
  ledgerIndex: number | null;
  registrantId: string;
  /** Registrant and owners: a match among works sharing any of them is not a report. */
  parties: string[];
}

export interface SightingSubject {
  kind: 'sighting';
  id: string;
  sha256: string;
  title: string | null;
  sourceUrl: string;
  sourceDomain: string;
  platform: string;
  seenAt: Date;
  territory: string;
  right: Right;
  medium: Medium;
  notes: string | null;
  suspectPartyId: string | null;
  reporterId: string;
}

export type Subject = WorkSubject | SightingSubject;

interface WorkRow {
  id: string;
  sha256: Buffer;
  title: string;
  type: string;
  registration_number: string;
  content_stored: boolean;
  status: string;
  created_at: Date;
  idx: string | null;
  registrant_id: string;
  owners: string[] | null;
}

const WORK_COLUMNS = `w.id, w.sha256, w.title, w.type, w.registration_number, w.content_stored, w.status, w.created_at, e.idx, w.registrant_id,
  (SELECT array_agg(o.party_id) FROM work_owners o WHERE o.work_id = w.id) AS owners`;

function toWork(row: WorkRow): WorkSubject {
  return {
    kind: 'work',
    id: row.id,
    sha256: row.sha256.toString('hex'),
    title: row.title,
    type: row.type,
    registrationNumber: row.registration_number,
    contentStored: row.content_stored,
    status: row.status,
    registeredAt: row.created_at,
    ledgerIndex: row.idx === null ? null : Number(row.idx),
    registrantId: row.registrant_id,
    parties: [...new Set([row.registrant_id, ...(row.owners ?? [])])],
  };
}

export async function loadWorks(sql: Sql, ids: string[]): Promise<WorkSubject[]> {
  if (ids.length === 0) return [];
  const rows = await sql<WorkRow>(`SELECT ${WORK_COLUMNS} FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = ANY($1::uuid[])`, [ids]);
  return rows.map(toWork);
}

export async function loadSubject(sql: Sql, kind: SubjectKind, id: string): Promise<Subject | undefined> {
  if (kind === 'work') return (await loadWorks(sql, [id]))[0];
  const [row] = await sql<{
    id: string;
    sha256: Buffer;
    title: string | null;
    source_url: string;
    source_domain: string;
    platform: string;
    seen_at: Date;
    territory: string;
    use_right: Right;
    use_medium: Medium;
    notes: string | null;
    suspect_party_id: string | null;
    reporter_id: string;
  }>('SELECT id, sha256, title, source_url, source_domain, platform, seen_at, territory, use_right, use_medium, notes, suspect_party_id, reporter_id FROM sightings WHERE id = $1', [id]);
  if (!row) return undefined;
  return {
    kind: 'sighting',
    id: row.id,
    sha256: row.sha256.toString('hex'),
    title: row.title,
    sourceUrl: row.source_url,
    sourceDomain: row.source_domain,
    platform: row.platform,
    seenAt: row.seen_at,
    territory: row.territory,
    right: row.use_right,
    medium: row.use_medium,
    notes: row.notes,
    suspectPartyId: row.suspect_party_id,
    reporterId: row.reporter_id,
  };
}
