// Takes a listing (a buyer) or settles a deal (the exchange): one settlement
// transaction (see settle-listing.ts) that also claims the Idempotency-Key and
// stores the answer. A refusal after the money was held rolls all of it back
// and records the attempt's only trace, its voided hold, together with the
// refusal, so a retry under the same key gets the same answer. Then the call
// waits, bounded, for the ledger entry and answers with its proof.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError, ErrorCode } from '#errors';
import { IntegrationWaiter } from '#ledger-store';
import { APP_CONFIG, IdempotentTransaction, LedgerProofService, type AppConfig } from '#platform';
import { LicenceConflicts } from '../../licences/licence-conflicts.js';
import { licenceConflict } from '../../licences/licence-conflict.error.js';
import type { Listing } from '../../listings/listing.js';
import { ListingsRepository } from '../../listings/listings.repository.js';
import { HoldsRepository } from '../../money/holds.repository.js';
import { SettleListing, type SettlementProgress } from '../settle-listing.js';
import type { SettlementView } from '../settlement-view.js';
import type { PurchaseCommand } from './purchase.command.js';

@Injectable()
export class PurchaseUseCase {
  private readonly logger = new Logger(PurchaseUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: IdempotentTransaction,
    private readonly listings: ListingsRepository,
    private readonly settle: SettleListing,
    private readonly holds: HoldsRepository,
    private readonly conflicts: LicenceConflicts,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: PurchaseCommand): Promise<SettlementView> {
    const listing = await this.listings.find(command.listingId);
    const buyerId = this.checkAvailable(listing, command);
    const ids = { settlementId: randomUUID(), holdId: randomUUID() };
    const progress: SettlementProgress = { holdPlaced: false };

    let settled;
    try {
      settled = await this.tx.run(
        (manager) => this.settle.settle(manager, listing!, buyerId, command.settledBy ?? null, ids, progress),
        (result) => result.view,
      );
    } catch (error) {
      if (!(progress.holdPlaced && error instanceof AppError)) throw error;
      throw await this.refuse(error, listing!, buyerId, ids.holdId);
    }
    this.logger.log(`settled ${listing!.kind} listing ${listing!.id} for ${buyerId}: settlement ${ids.settlementId}, entry ${settled.entryId}`);

    await this.waiter.waitFor(settled.entryId, this.config.ledger.proofWaitMs);
    const proof = await this.proofs.forEntry(settled.entryId);
    return proof ? { ...settled.view, ledger: { ...proof, proofStatus: 'integrated' } } : settled.view;
  }

  private checkAvailable(listing: Listing | undefined, command: PurchaseCommand): string {
    // A deal is reserved for its buyer and settled only by the exchange; a
    // public listing is taken only by its buyer.
    if (!listing || (listing.origin === 'deal') !== (command.via === 'deal')) {
      throw new AppError(ErrorCode.ListingNotFound, `No ${command.via} with id ${command.listingId}.`);
    }
    if (listing.status === 'awaiting_consent') {
      const missing = listing.consents.filter((c) => !c.consentedAt).map((c) => c.partyId);
      throw new AppError(ErrorCode.ConsentRequired, 'Not every party whose consent this needs has given it yet.', { missingConsents: missing });
    }
    if (listing.status !== 'active') throw new AppError(ErrorCode.ListingNotAvailable, `The listing is ${listing.status}.`, { status: listing.status });
    return listing.origin === 'deal' ? listing.reservedFor! : command.buyerId;
  }

  private async refuse(error: AppError, listing: Listing, buyerId: string, holdId: string): Promise<AppError> {
    let answer = error;
    if (error.code === ErrorCode.LicenceConflict && !error.details?.conflictingLicenceId) {
      // Lost a race on the exclusion constraint: name the licence that won.
      const winner = await this.conflicts.find(this.dataSource.manager, listing.workId, listing.terms!);
      if (winner) answer = licenceConflict(winner.licenceId);
    }
    return this.tx.refuse(answer, (manager) =>
      this.holds.recordVoided(manager, { id: holdId, partyId: buyerId, amount: listing.price, listingId: listing.id, reason: answer.code }),
    );
  }
}
