// What the API shows of a report. Rows are mapped here, so the table layout
// never leaks into the API.
import type { EntryProof } from '#platform';
import { allowedNextStatuses, type ReportEventView, type ReportStatus } from '#infringement';

export interface ReportRow {
  id: string;
  original_work_id: string;
  suspect_kind: 'work' | 'sighting';
  suspect_work_id: string | null;
  suspect_sighting_id: string | null;
  media: string;
  match_kind: 'exact' | 'near';
  severity: string;
  score: number;
  scores: Record<string, unknown>;
  evidence: Record<string, unknown>;
  evidence_sha256: Buffer;
  suspect_party_ids: string[];
  source_url: string | null;
  source_domain: string | null;
  licence: Record<string, unknown>;
  status: ReportStatus;
  algorithm: string;
  confirmed_entry_id: string | null;
  detected_at: Date;
  status_changed_at: Date;
  // joined
  original_title: string;
  original_registration_number: string;
  original_sha256: Buffer;
  suspect_title: string | null;
  suspect_registration_number: string | null;
  suspect_sha256: Buffer;
  platform: string | null;
  seen_at: Date | null;
}

/** The SELECT list and joins every report query uses. */
export const REPORT_SELECT = `
  SELECT r.id, r.original_work_id, r.suspect_kind, r.suspect_work_id, r.suspect_sighting_id, r.media, r.match_kind, r.severity, r.score,
         r.scores, r.evidence, r.evidence_sha256, r.suspect_party_ids, r.source_url, r.source_domain, r.licence, r.status, r.algorithm,
         r.confirmed_entry_id, r.detected_at, r.status_changed_at,
         o.title AS original_title, o.registration_number AS original_registration_number, o.sha256 AS original_sha256,
         coalesce(sw.title, sg.title) AS suspect_title, sw.registration_number AS suspect_registration_number,
         coalesce(sw.sha256, sg.sha256) AS suspect_sha256, sg.platform, sg.seen_at
    FROM infringement_reports r
    JOIN works o ON o.id = r.original_work_id
    LEFT JOIN works sw ON sw.id = r.suspect_work_id
    LEFT JOIN sightings sg ON sg.id = r.suspect_sighting_id`;

export function toReportSummary(row: ReportRow) {
  return {
    id: row.id,
    status: row.status,
    severity: row.severity,
    media: row.media,
    matchKind: row.match_kind,
    score: row.score,
    detectedAt: row.detected_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
    original: { workId: row.original_work_id, registrationNumber: row.original_registration_number, title: row.original_title, sha256: row.original_sha256.toString('hex') },
    suspect:
      row.suspect_kind === 'work'
        ? { kind: 'work' as const, workId: row.suspect_work_id!, registrationNumber: row.suspect_registration_number, title: row.suspect_title, sha256: row.suspect_sha256.toString('hex') }
        : {
            kind: 'sighting' as const,
            sightingId: row.suspect_sighting_id!,
            title: row.suspect_title,
            sha256: row.suspect_sha256.toString('hex'),
            sourceUrl: row.source_url,
            sourceDomain: row.source_domain,
            platform: row.platform,
            seenAt: row.seen_at?.toISOString() ?? null,
          },
    suspectPartyIds: row.suspect_party_ids,
    licence: { status: row.licence.status, licenceId: row.licence.licenceId ?? null },
  };
}

export type ReportSummary = ReturnType<typeof toReportSummary>;

export interface ReportDetail extends ReportSummary {
  scores: Record<string, unknown>;
  evidence: Record<string, unknown>;
  evidenceSha256: string;
  algorithm: string;
  licence: ReportSummary['licence'] & Record<string, unknown>;
  allowedTransitions: readonly ReportStatus[];
  priority: { originalLedgerIndex: number | null; originalRegisteredAt: string; originalProof: EntryProof | null; suspectLedgerIndex: number | null };
  history: ReportEventView[];
  confirmation: { status: 'integrated'; proof: EntryProof } | { status: 'pending'; entryId: string } | null;
}

export function toReportDetail(
  row: ReportRow,
  extra: Pick<ReportDetail, 'priority' | 'history' | 'confirmation'>,
): ReportDetail {
  const summary = toReportSummary(row);
  return {
    ...summary,
    scores: row.scores,
    evidence: row.evidence,
    evidenceSha256: row.evidence_sha256.toString('hex'),
    algorithm: row.algorithm,
    licence: { ...row.licence, status: row.licence.status, licenceId: row.licence.licenceId ?? null } as ReportDetail['licence'],
    allowedTransitions: allowedNextStatuses(row.status),
    ...extra,
  };
}

export interface EventRow {
  at: Date;
  kind: 'detected' | 'status' | 'note';
  from_status: string | null;
  to_status: string | null;
  actor_kind: 'system' | 'party';
  actor_party_id: string | null;
  actor_key_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  note: string | null;
  details: Record<string, unknown> | null;
}

export function toEventView(row: EventRow): ReportEventView {
  return {
    at: row.at.toISOString(),
    kind: row.kind,
    from: row.from_status,
    to: row.to_status,
    actor: row.actor_kind === 'system' ? { kind: 'system' } : { kind: 'party', partyId: row.actor_party_id, role: row.actor_role!, keyId: row.actor_key_id, name: row.actor_name },
    note: row.note,
    details: row.details,
  };
}
