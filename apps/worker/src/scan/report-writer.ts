// Raises a report for one (original, suspect) pair: checks whether the
// suspect party holds a licence covering the use, then inserts the report
// and its first history event in one transaction. The pair is unique, so a
// job that runs twice (or two jobs finding the same pair) raise one report.
import { randomUUID } from 'node:crypto';
import {
  canonicalSha256,
  checkLicence,
  DETECTION_ALGORITHM,
  registrationUse,
  severityOf,
  sightingUse,
  type SimilarityEvidence,
  type SuspectUse,
} from '#infringement';
import type { ScanDb } from './scan-db.js';
import type { SightingSubject, WorkSubject } from './subjects.js';

export interface DetectedPair {
  original: WorkSubject;
  suspect: WorkSubject | SightingSubject;
  media: 'text' | 'image' | 'other';
  matchKind: 'exact' | 'near';
  score: number;
  scores: Record<string, unknown>;
  evidence: SimilarityEvidence;
}

export function suspectPartiesOf(suspect: WorkSubject | SightingSubject): string[] {
  return suspect.kind === 'work' ? suspect.parties : suspect.suspectPartyId ? [suspect.suspectPartyId] : [];
}

export function suspectUseOf(pair: Pick<DetectedPair, 'suspect' | 'matchKind'>): SuspectUse {
  return pair.suspect.kind === 'work' ? registrationUse(pair.matchKind, pair.suspect.registeredAt) : sightingUse(pair.suspect);
}

function searchText(pair: DetectedPair): string {
  const s = pair.suspect;
  const parts = [pair.original.title, pair.original.registrationNumber, s.kind === 'work' ? `${s.title} ${s.registrationNumber}` : `${s.title ?? ''} ${s.sourceUrl} ${s.platform} ${s.notes ?? ''}`];
  return parts.join('\n').toLowerCase();
}

export class ReportWriter {
  constructor(private readonly db: ScanDb) {}

  /** Returns the new report's id, or null when the pair already has one. */
  async raise(pair: DetectedPair): Promise<string | null> {
    const parties = suspectPartiesOf(pair.suspect);
    const licence = await checkLicence(this.db.sql, pair.original.id, parties, suspectUseOf(pair));
    const status = licence.status === 'licensed' ? 'licensed' : 'open';
    const severity = severityOf(pair.matchKind, pair.score);
    const id = randomUUID();
    const s = pair.suspect;
    return this.db.tx(async (sql) => {
      const [row] = await sql<{ id: string }>(
        `INSERT INTO infringement_reports (id, original_work_id, suspect_kind, suspect_work_id, suspect_sighting_id, media, match_kind, severity, score, scores,
                                           evidence, evidence_sha256, suspect_party_ids, source_url, source_domain, licence, status, search_text, algorithm)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::uuid[], $14, $15, $16, $17, $18, $19)
         ON CONFLICT (original_work_id, suspect_id) DO NOTHING RETURNING id`,
        [
          id,
          pair.original.id,
          s.kind,
          s.kind === 'work' ? s.id : null,
          s.kind === 'sighting' ? s.id : null,
          pair.media,
          pair.matchKind,
          severity,
          pair.score,
          JSON.stringify(pair.scores),
          JSON.stringify(pair.evidence),
          Buffer.from(canonicalSha256(pair.evidence), 'hex'),
          parties,
          s.kind === 'sighting' ? s.sourceUrl : null,
          s.kind === 'sighting' ? s.sourceDomain : null,
          JSON.stringify(licence),
          status,
          searchText(pair),
          DETECTION_ALGORITHM,
        ],
      );
      if (!row) return null;
      const note =
        licence.status === 'licensed'
          ? `Detected; the suspect party ${licence.licenseeId} holds licence ${licence.licenceId}, which covers ${licence.use!.right} in ${licence.use!.territory} on ${licence.use!.at}: marked licensed, not infringing.`
          : `Detected: ${pair.matchKind === 'exact' ? 'identical content (same SHA-256)' : `${pair.media} similarity ${pair.score}`}.`;
      await sql(
        `INSERT INTO report_events (report_id, kind, from_status, to_status, actor_kind, note, details) VALUES ($1, 'detected', NULL, $2, 'system', $3, $4)`,
        [id, status, note, JSON.stringify({ severity, score: pair.score, matchKind: pair.matchKind, licence: licence.status, algorithm: DETECTION_ALGORITHM })],
      );
      return id;
    });
  }
}
