// Builds a work's certificate from its evidence, and decides who may have it:
// the registrant and the owners, and the roles whose job is checking
// registrations (officer, exchange, admin).
import { Inject, Injectable } from '@nestjs/common';
import { buildCertificate, type CertificateDocument } from '#certificate';
import { verifierKey, type NoteSigner } from '#ledger';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import type { WorkEntity } from '#persistence';
import { APP_CONFIG, NOTE_SIGNER, type AppConfig } from '#platform';
import { TimeStampingService } from '../tsa/time-stamping.service.js';
import { WorksRepository } from '../works/works.repository.js';
import { WorkEvidenceRepository } from './work-evidence.repository.js';

const CHECKING_ROLES = new Set(['officer', 'exchange', 'admin']);

@Injectable()
export class CertificateService {
  constructor(
    private readonly works: WorksRepository,
    private readonly evidence: WorkEvidenceRepository,
    private readonly tsa: TimeStampingService,
    @Inject(NOTE_SIGNER) private readonly signer: NoteSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The work, if `principal` may read its certificate; otherwise a 404 or 403. */
  async workFor(principal: Principal, workId: string): Promise<WorkEntity> {
    const work = await this.works.findEntity(workId);
    if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
    if (CHECKING_ROLES.has(principal.role)) return work;
    if (principal.partyId && (await this.works.isOwnerOrRegistrant(workId, principal.partyId))) return work;
    throw new AppError(ErrorCode.NotWorkOwner, 'Only the registrant and the owners of a work (or an officer) may download its certificate.');
  }

  verifyUrl(workId: string): string {
    return `${this.config.publicBaseUrl}/verify?work=${workId}`;
  }

  async build(work: WorkEntity): Promise<CertificateDocument> {
    const [evidence, owners] = await Promise.all([this.evidence.load(work), this.evidence.owners(work.id)]);
    if (!evidence.checkpoint || !evidence.entries.some((e) => e.kind === 'work.registered')) {
      throw new AppError(ErrorCode.LedgerEntryPending, 'The registration is not in the ledger yet; the certificate is ready within seconds. Retry shortly.');
    }
    // The status and owners shown are the current rows: with a withdrawal or
    // a transfer still waiting for the ledger, they would not match the
    // entries, and the certificate would fail its own verification.
    if (evidence.pending > 0) {
      throw new AppError(ErrorCode.LedgerEntryPending, 'A change to this work is not in the ledger yet; the certificate is ready within seconds. Retry shortly.', { pendingEntries: evidence.pending });
    }
    const names = await this.evidence.partyNames([work.registrantId, ...owners.map((o) => o.partyId)]);
    const stamp = evidence.timeStamp;
    return buildCertificate({
      issuedAt: new Date(),
      verifyUrl: this.verifyUrl(work.id),
      work: {
        id: work.id,
        registrationNumber: work.registrationNumber,
        sha256: work.sha256.toString('hex'),
        status: work.status,
        registeredAt: work.createdAt.toISOString(),
        registrant: { id: work.registrantId, name: names.get(work.registrantId) ?? null },
        owners: owners.map((o) => ({ id: o.partyId, name: names.get(o.partyId) ?? null, shareBp: o.shareBp })),
      },
      verifierKey: verifierKey(this.signer),
      checkpoint: evidence.checkpoint.note,
      entries: evidence.entries,
      timeStamp: stamp
        ? {
            response: stamp.response.toString('base64'),
            genTime: stamp.genTime.toISOString(),
            serialNumber: stamp.serialNumber,
            caCertPem: this.tsa.caCertPem,
            tsaCertPem: this.tsa.tsaCertPem,
          }
        : null,
    });
  }
}
