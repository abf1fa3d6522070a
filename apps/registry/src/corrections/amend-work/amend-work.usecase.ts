// Supplementary registration: corrected or added metadata with a reason. It
// appends a work.amended entry pointing at the original work.registered entry
// (which is never changed); the works row then shows the corrected values and
// keeps, in the amendment, the metadata it had before.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AMENDABLE_FIELDS, amendmentMetadata, canonicalEqual, type MetadataChanges } from '#certificate';
import { metadataHash, type PendingEntry } from '#ledger';
import { IntegrationWaiter } from '#ledger-store';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, LedgerProofService, type AppConfig, type EntryProof } from '#platform';
import { registrationMetadata, type WorkView } from '../../works/work-view.js';
import { WorksRepository } from '../../works/works.repository.js';
import { mayAmend } from '../correction-rights.js';
import { CorrectionsRepository } from '../corrections.repository.js';
import { RegistrationIndex } from '../registration-index.js';
import type { AmendWorkDto } from './amend-work.dto.js';

export interface AmendWorkResult {
  amendment: { id: string; seq: number; reason: string; changes: MetadataChanges; createdAt: string };
  work: WorkView;
  proof: EntryProof | undefined;
}

@Injectable()
export class AmendWorkUseCase {
  private readonly logger = new Logger(AmendWorkUseCase.name);

  constructor(
    private readonly works: WorksRepository,
    private readonly corrections: CorrectionsRepository,
    private readonly registrationIndex: RegistrationIndex,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(principal: Principal, workId: string, dto: AmendWorkDto): Promise<AmendWorkResult> {
    const work = await this.works.findEntity(workId);
    if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
    const partyId = principal.partyId;
    if (!partyId) throw notEntitled();
    const requested = Object.fromEntries(AMENDABLE_FIELDS.filter((f) => (dto.changes as Record<string, unknown>)[f] !== undefined).map((f) => [f, (dto.changes as Record<string, unknown>)[f]]));
    if (requested.derivedFrom) {
      if (requested.derivedFrom === workId) throw new AppError(ErrorCode.ValidationFailed, 'A work cannot derive from itself.');
      if (!(await this.works.findEntity(requested.derivedFrom as string))) {
        throw new AppError(ErrorCode.DerivedFromNotFound, `derivedFrom names no registered work (${String(requested.derivedFrom)}).`);
      }
    }
    const original = await this.registrationIndex.of(work);

    const amendment = await this.corrections.transaction(async (manager, locked) => {
      if (!mayAmend(await this.corrections.standing(manager, locked, partyId))) throw notEntitled();
      if (locked.status === 'withdrawn') throw new AppError(ErrorCode.WorkWithdrawn, 'This registration was withdrawn; it can no longer be amended.');
      const previous = registrationMetadata(locked);
      // Only real changes are recorded, in the same normal form as registration metadata.
      const changes: MetadataChanges = {};
      for (const [field, raw] of Object.entries(requested)) {
        const value = field === 'authors' ? (raw as Array<{ name: string; role?: string }>).map((a) => (a.role ? { name: a.name, role: a.role } : { name: a.name })) : field === 'publication' && raw ? { date: (raw as { date: string }).date, place: (raw as { place: string }).place } : raw;
        if (!canonicalEqual(previous[field] ?? null, value)) changes[field as keyof MetadataChanges] = value;
      }
      if (Object.keys(changes).length === 0) throw new AppError(ErrorCode.ValidationFailed, 'The amendment changes nothing: every field given already has that value.');
      const seq = await this.corrections.nextAmendmentSeq(manager, workId);
      const metadata = amendmentMetadata(locked.registrationNumber, seq, dto.reason, changes);
      const entry: PendingEntry = {
        kind: 'work.amended',
        subject: { type: 'work', id: workId },
        workSha256: locked.sha256.toString('hex'),
        metadataHash: metadataHash(metadata),
        parties: [{ role: 'applicant', id: partyId }],
        refs: { registrationNumber: locked.registrationNumber, original, amendment: seq },
      };
      return this.corrections.insertAmendment(
        manager,
        { workId, seq, applicantId: partyId, reason: dto.reason, changes, metadata: metadata as unknown as Record<string, unknown>, previousMetadata: previous },
        entry,
      );
    }, workId);
    this.logger.log(`amended work ${workId} (#${amendment.seq}) entry ${amendment.entryId}`);

    await this.waiter.waitFor(String(amendment.entryId), this.config.ledger.proofWaitMs);
    const updated = await this.works.findEntity(workId);
    return {
      amendment: { id: amendment.id, seq: amendment.seq, reason: amendment.reason, changes: amendment.changes, createdAt: amendment.createdAt.toISOString() },
      work: await this.works.view(updated!),
      proof: await this.proofs.forEntry(String(amendment.entryId)),
    };
  }
}

function notEntitled(): AppError {
  return new AppError(ErrorCode.NotWorkOwner, 'Only a current owner of the work may amend its registration (its registrant too, until a share of the work has been assigned).');
}
