// "Does the suspect party hold a licence covering this use?" against the
// exchange's licences table: candidates are pre-selected in SQL (the work,
// the licensees, active, the right, the day), coverage is decided by the
// licensing library. Shared by the worker (at detection) and the registry
// (again when an officer confirms).
import type { LicenceTerms } from '#licensing';
import { licenceCovers, type SuspectUse } from './licensed-use.js';

export type QueryFn = <Row = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

export interface LicenceCheck {
  status: 'licensed' | 'not_licensed' | 'unknown_party';
  use: SuspectUse | null;
  suspectParties: string[];
  licenceId?: string;
  licenseeId?: string;
  terms?: LicenceTerms;
  checkedAt: string;
}

export async function checkLicence(sql: QueryFn, originalWorkId: string, suspectParties: string[], use: SuspectUse | null, now = new Date()): Promise<LicenceCheck> {
  const checkedAt = now.toISOString();
  if (!use || suspectParties.length === 0) return { status: 'unknown_party', use, suspectParties, checkedAt };
  const rows = await sql<{ id: string; licensee_id: string; terms: LicenceTerms }>(
    `SELECT id, licensee_id, terms FROM licences
      WHERE work_id = $1 AND licensee_id = ANY($2::uuid[]) AND status = 'active' AND $3 = ANY(rights) AND period @> $4::date
      ORDER BY granted_at, id`,
    [originalWorkId, suspectParties, use.right, use.at],
  );
  const covering = rows.find((row) => {
    try {
      return licenceCovers(row.terms, use);
    } catch {
      return false; // a corrupt row covers nothing
    }
  });
  return covering
    ? { status: 'licensed', use, suspectParties, licenceId: covering.id, licenseeId: covering.licensee_id, terms: covering.terms, checkedAt }
    : { status: 'not_licensed', use, suspectParties, checkedAt };
}
