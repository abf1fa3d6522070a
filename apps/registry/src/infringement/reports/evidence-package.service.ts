// Assembles a report's evidence package (format and checks in
// libs/infringement evidence-package): both works' certificates (or the
// sighting with its time-stamp), the similarity evidence exactly as stored
// (its hash is the report's), the history, the ledger proof of a
// confirmation, and a takedown notice while the report stands.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { verifierKey, type NoteSigner } from '#ledger';
import { AppError, ErrorCode } from '#errors';
import {
  EVIDENCE_FORMAT,
  EVIDENCE_VERSION,
  takedownNotice,
  type ConfirmationMetadata,
  type EvidencePackage,
  type SightingRecord,
  type SimilarityEvidence,
} from '#infringement';
import { APP_CONFIG, LedgerProofService, NOTE_SIGNER, type AppConfig } from '#platform';
import { CertificateService } from '../../certificates/certificate.service.js';
import { TimeStampingService } from '../../tsa/time-stamping.service.js';
import { WorksRepository } from '../../works/works.repository.js';
import { ReportDetailQuery } from './report-detail.query.js';
import type { ReportRow } from './report-view.js';
import { ReportsRepository } from './reports.repository.js';

const NOTICE_STATUSES = new Set(['open', 'investigating', 'confirmed']);

@Injectable()
export class EvidencePackageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly detail: ReportDetailQuery,
    private readonly reports: ReportsRepository,
    private readonly works: WorksRepository,
    private readonly certificates: CertificateService,
    private readonly proofs: LedgerProofService,
    private readonly tsa: TimeStampingService,
    @Inject(NOTE_SIGNER) private readonly signer: NoteSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(principal: Principal, reportId: string): Promise<EvidencePackage> {
    const row = await this.detail.rowFor(principal, reportId);
    const originalWork = await this.works.findEntity(row.original_work_id);
    if (!originalWork) throw new AppError(ErrorCode.WorkNotFound, `The original work ${row.original_work_id} is missing.`);
    const originalCertificate = await this.certificates.build(originalWork);
    let suspect: EvidencePackage['suspect'];
    if (row.suspect_kind === 'work') {
      const work = await this.works.findEntity(row.suspect_work_id!);
      if (!work) throw new AppError(ErrorCode.WorkNotFound, `The suspect work ${row.suspect_work_id} is missing.`);
      suspect = { kind: 'work', certificate: await this.certificates.build(work) };
    } else {
      suspect = { kind: 'sighting', sighting: await this.sighting(row.suspect_sighting_id!) };
    }
    const history = await this.reports.history(row.id);
    const confirmation = await this.confirmation(row, history);
    const similarity = row.evidence as unknown as SimilarityEvidence;
    const evidenceSha256 = row.evidence_sha256.toString('hex');
    const issuedAt = new Date();
    const registration = originalCertificate.entries.find((e) => e.kind === 'work.registered')!;
    const notice = NOTICE_STATUSES.has(row.status)
      ? takedownNotice({
          issuedAt,
          reportId: row.id,
          status: row.status,
          rightHolders: await this.rightHolders(row.original_work_id),
          work: {
            title: String(originalCertificate.work.metadata.title ?? ''),
            registrationNumber: originalCertificate.work.registrationNumber,
            sha256: originalCertificate.work.sha256,
            registeredAt: originalCertificate.work.registeredAt,
            ledgerIndex: registration.ledgerIndex,
          },
          infringingCopy:
            suspect.kind === 'work'
              ? { location: `${this.config.publicBaseUrl}/verify?work=${suspect.certificate.work.id}`, platform: null, seenAt: null, sha256: suspect.certificate.work.sha256, registrationNumber: suspect.certificate.work.registrationNumber }
              : { location: suspect.sighting.sourceUrl, platform: suspect.sighting.platform, seenAt: suspect.sighting.seenAt, sha256: suspect.sighting.sha256 },
          match: { description: describe(similarity), score: row.score, evidenceSha256 },
        })
      : null;
    return {
      format: EVIDENCE_FORMAT,
      version: EVIDENCE_VERSION,
      issuedAt: issuedAt.toISOString(),
      issuer: this.config.publicBaseUrl,
      verifierKey: verifierKey(this.signer),
      report: {
        id: row.id,
        status: row.status,
        detectedAt: row.detected_at.toISOString(),
        statusChangedAt: row.status_changed_at.toISOString(),
        media: row.media,
        matchKind: row.match_kind,
        severity: row.severity,
        score: row.score,
        scores: row.scores,
        algorithm: row.algorithm,
        licence: row.licence,
        evidenceSha256,
      },
      original: { certificate: originalCertificate },
      suspect,
      similarity,
      history,
      confirmation,
      takedownNotice: notice,
      statement: [
        'original.certificate proves the original registration (ledger entry, inclusion proof, signed checkpoint, RFC 3161 time-stamp); its ledger index is the priority evidence.',
        suspect.kind === 'work'
          ? 'suspect.certificate proves the suspect registration the same way; priority is the order of the two ledger indexes.'
          : 'suspect.sighting is the copy as reported (source, platform, time seen, SHA-256); its RFC 3161 token proves the copy existed when the registry received it.',
        `similarity is the detection's evidence (${DETECTION_NOTE}); its canonical SHA-256 is report.evidenceSha256.`,
        confirmation
          ? 'confirmation is the infringement.confirmed ledger entry with its inclusion proof; it commits to both sides, the similarity evidence hash and the officer\'s decision.'
          : `The report is ${row.status}: no officer has confirmed it, so the detection and the history are the service's statement, not a ledger record.`,
        notice ? 'takedownNotice names the right holders, the work, the infringing location and this preliminary proof.' : `No takedown notice: the report is ${row.status}.`,
        'Verify offline: npm run verify -- evidence.json --key <the ledger verifier key> [--file <original>] [--suspect <copy>]',
      ],
    };
  }

  private async sighting(id: string): Promise<SightingRecord> {
    const [s]: Array<{
      id: string; sha256: Buffer; content_kind: 'file' | 'text'; size_bytes: string; media_type: string | null; file_name: string | null; title: string | null;
      source_url: string; platform: string; seen_at: Date; created_at: Date; reporter_id: string; reporter_role: string; reporter_name: string | null;
      suspect_party_id: string | null; suspect_name: string | null; territory: string; notes: string | null; time_stamp: Buffer | null;
    }> = await this.dataSource.query(
      `SELECT s.*, p.name AS reporter_name FROM sightings s JOIN parties p ON p.id = s.reporter_id WHERE s.id = $1`,
      [id],
    );
    if (!s) throw new AppError(ErrorCode.SightingNotFound, `The sighting ${id} is missing.`);
    return {
      id: s.id,
      sha256: s.sha256.toString('hex'),
      contentKind: s.content_kind,
      sizeBytes: Number(s.size_bytes),
      mediaType: s.media_type,
      fileName: s.file_name,
      title: s.title,
      sourceUrl: s.source_url,
      platform: s.platform,
      seenAt: s.seen_at.toISOString(),
      receivedAt: s.created_at.toISOString(),
      reportedBy: { partyId: s.reporter_id, role: s.reporter_role, name: s.reporter_name },
      suspect: { partyId: s.suspect_party_id, name: s.suspect_name },
      territory: s.territory,
      notes: s.notes,
      timeStamp: s.time_stamp ? { response: s.time_stamp.toString('base64'), caCertPem: this.tsa.caCertPem, tsaCertPem: this.tsa.tsaCertPem } : null,
    };
  }

  private async confirmation(row: ReportRow, history: EvidencePackage['history']): Promise<EvidencePackage['confirmation']> {
    if (!row.confirmed_entry_id) return null;
    const proof = await this.proofs.forEntry(String(row.confirmed_entry_id));
    if (!proof) throw new AppError(ErrorCode.LedgerEntryPending, 'The confirmation is not in the ledger yet; the package is ready within seconds. Retry shortly.');
    const event = [...history].reverse().find((e) => e.kind === 'status' && e.to === 'confirmed');
    const metadata = event?.details?.confirmation as ConfirmationMetadata | undefined;
    if (!metadata) throw new Error(`report ${row.id} is confirmed but its history holds no confirmation metadata`);
    return {
      entry: { kind: 'infringement.confirmed', ledgerIndex: proof.ledgerIndex, entry: proof.entry, leafHash: proof.leafHash, inclusionProof: proof.inclusionProof },
      checkpoint: proof.checkpoint,
      metadata,
    };
  }

  private async rightHolders(workId: string) {
    const rows: Array<{ id: string; name: string; contact: string; share_bp: number }> = await this.dataSource.query(
      'SELECT p.id, p.name, p.contact, o.share_bp FROM work_owners o JOIN parties p ON p.id = o.party_id WHERE o.work_id = $1 ORDER BY o.share_bp DESC, p.id',
      [workId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, contact: r.contact, shareBp: r.share_bp }));
  }
}

const DETECTION_NOTE = 'text: MinHash/LSH candidates verified by exact shingle Jaccard/containment, passages by winnowing; image: 64-bit DCT perceptual hashes of the whole image, its mirror and 46 regions, Hamming distance; region matches confirmed on the pixels by the hashes of their quadrants, and crops between two grid windows re-aligned on the pixels';

function describe(evidence: SimilarityEvidence): string {
  switch (evidence.method) {
    case 'sha256':
      return 'identical file (same SHA-256)';
    case 'text':
      return `text copy: ${evidence.passages.length} matching passage(s), ${Math.round(evidence.originalInSuspect * 100)}% of the original's phrases found in the copy`;
    case 'image':
      return `image copy (${evidence.match} match, Hamming distance ${evidence.distance} of 64${evidence.alignedFrom ? `, after re-aligning a window found at ${evidence.alignedFrom.distance}` : ''})`;
  }
}
