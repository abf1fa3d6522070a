// Takes a listing (a buyer) or settles a deal (the exchange): one read of the
// listing with its work, then one settlement transaction (see
// settle-listing.ts) that also claims the Idempotency-Key and stores the
// answer. A refusal after the money was held rolls all of it back
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
import { WorkListability } from '../../listings/work-listability.js';
import { HoldsRepository } from '../../money/holds.repository.js';
import { OwnersChangedMeanwhile, SettleListing, type SettledListing, type SettlementIds, type SettlementProgress } from '../settle-listing.js';
import type { SettlementView } from '../settlement-view.js';
import type { PurchaseCommand } from './purchase.command.js';

/** Plans made stale by a concurrent change of owners are made again this many times at most. */
const MAX_PLANS = 3;

/** The listing a purchase took and who pays, once known. */
interface Taken {
  listing?: Listing;
  buyerId?: string;
}

@Injectable()
export class PurchaseUseCase {
  private readonly logger = new Logger(PurchaseUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: IdempotentTransaction,
    private readonly listings: ListingsRepository,
    private readonly listability: WorkListability,
    private readonly settle: SettleListing,
    private readonly holds: HoldsRepository,
    private readonly conflicts: LicenceConflicts,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: PurchaseCommand): Promise<SettlementView> {
    const ids = { settlementId: randomUUID(), holdId: randomUUID() };
    const progress: SettlementProgress = { holdPlaced: false };
    const taken: Taken = {};

    let settled: SettledListing;
    try {
      settled = await this.settleFromFreshRead(command, ids, progress, taken);
    } catch (error) {
      if (!(progress.holdPlaced && error instanceof AppError)) throw error;
      throw await this.refuse(error, taken.listing!, taken.buyerId!, ids.holdId);
    }
    this.logger.log(`settled ${taken.listing!.kind} listing ${command.listingId} for ${taken.buyerId}: settlement ${ids.settlementId}, entry ${settled.entryId}`);

    await this.waiter.waitFor(settled.entryId, this.config.ledger.proofWaitMs);
    const proof = await this.proofs.forEntry(settled.entryId);
    return proof ? { ...settled.view, ledger: { ...proof, proofStatus: 'integrated' } } : settled.view;
  }

  /**
   * Reads the listing with its work (one round trip), checks it, and settles.
   * A licence planned for owners that changed meanwhile is planned again.
   * `taken` tells the caller what a refusal concerns.
   */
  private async settleFromFreshRead(command: PurchaseCommand, ids: SettlementIds, progress: SettlementProgress, taken: Taken): Promise<SettledListing> {
    const settledBy = command.settledBy ?? null;
    for (let plan = 1; ; plan++) {
      const found = await this.listings.findForPurchase(command.listingId);
      const buyerId = this.checkAvailable(found?.listing, command);
      const listing = found!.listing;
      Object.assign(taken, { listing, buyerId });
      if (listing.kind === 'assignment') {
        return this.tx.run(
          (manager) => this.settle.settleAssignment(manager, listing, buyerId, settledBy, ids, progress),
          (result) => result.view,
        );
      }
      const work = this.listability.check(found!.work, listing.workId);
      try {
        return await this.settle.settleLicence(listing, work, buyerId, settledBy, ids, progress);
      } catch (error) {
        if (!(error instanceof OwnersChangedMeanwhile)) throw error;
        if (plan >= MAX_PLANS) {
          throw new AppError(ErrorCode.ConcurrentUpdate, 'The work changed owners several times while this purchase was settled; retry it with the same Idempotency-Key.');
        }
      }
    }
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
    const hold = { id: holdId, partyId: buyerId, amount: listing.price, listingId: listing.id, reason: answer.code };
    return this.tx.refuse(answer, (claim, stored) => this.holds.recordVoided(hold, claim, stored));
  }
}
