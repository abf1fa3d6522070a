// Withdrawal of a registration by its registrant: a work.withdrawn entry
// pointing at the registration. Nothing is deleted; the work stays, marked
// withdrawn, and its history and certificate show both entries.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { withdrawalMetadata } from '#certificate';
import { metadataHash, type PendingEntry } from '#ledger';
import { IntegrationWaiter } from '#ledger-store';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { APP_CONFIG, LedgerProofService, type AppConfig, type EntryProof } from '#platform';
import type { WorkView } from '../../works/work-view.js';
import { WorksRepository } from '../../works/works.repository.js';
import { mayWithdraw } from '../correction-rights.js';
import { CorrectionsRepository } from '../corrections.repository.js';
import { RegistrationIndex } from '../registration-index.js';

export interface WithdrawWorkResult {
  withdrawal: { reason: string; createdAt: string };
  work: WorkView;
  proof: EntryProof | undefined;
}

@Injectable()
export class WithdrawWorkUseCase {
  private readonly logger = new Logger(WithdrawWorkUseCase.name);

  constructor(
    private readonly works: WorksRepository,
    private readonly corrections: CorrectionsRepository,
    private readonly registrationIndex: RegistrationIndex,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(principal: Principal, workId: string, reason: string): Promise<WithdrawWorkResult> {
    const work = await this.works.findEntity(workId);
    if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
    const partyId = principal.partyId;
    if (!partyId) throw notEntitled();
    const original = await this.registrationIndex.of(work);
    const withdrawal = await this.corrections.transaction(async (manager, locked) => {
      if (!mayWithdraw(await this.corrections.standing(manager, locked, partyId))) throw notEntitled();
      if (locked.status === 'withdrawn') throw new AppError(ErrorCode.WorkWithdrawn, 'This registration is already withdrawn.');
      const metadata = withdrawalMetadata(locked.registrationNumber, reason);
      const entry: PendingEntry = {
        kind: 'work.withdrawn',
        subject: { type: 'work', id: workId },
        workSha256: locked.sha256.toString('hex'),
        metadataHash: metadataHash(metadata),
        parties: [{ role: 'applicant', id: partyId }],
        refs: { registrationNumber: locked.registrationNumber, original },
      };
      return this.corrections.insertWithdrawal(manager, { workId, applicantId: partyId, reason, metadata: metadata as unknown as Record<string, unknown> }, entry);
    }, workId);
    this.logger.log(`withdrew work ${workId} entry ${withdrawal.entryId}`);

    await this.waiter.waitFor(String(withdrawal.entryId), this.config.ledger.proofWaitMs);
    const updated = await this.works.findEntity(workId);
    return {
      withdrawal: { reason: withdrawal.reason, createdAt: withdrawal.createdAt.toISOString() },
      work: await this.works.view(updated!),
      proof: await this.proofs.forEntry(String(withdrawal.entryId)),
    };
  }
}

function notEntitled(): AppError {
  return new AppError(
    ErrorCode.NotWorkOwner,
    'Only the registrant may withdraw a registration, and only until a share of the work has been assigned; after that, only a party holding the whole work may.',
  );
}
