// The settlement of a purchase, step by step. Everything runs in one
// database transaction, so a licence or share, its money and its ledger
// entry exist together or not at all:
//   1. the work may still be traded, the consents still cover its owners;
//   2. the price is held from the buyer (refused if not available);
//   3. licence: no conflicting licence (enforced by the exclusion
//      constraint); assignment: the seller still holds the share;
//   4. the ledger entry is queued, the settlement, licence or assignment
//      rows written;
//   5. the hold is posted: fee to the exchange, the net split among payees.
//
// A licence, the hot path, is planned here (split, ledger entry, exclusion
// row, answer: all pure) and then settled by one call of the database
// function exchange_settle_licence(), which does steps 2-5 as one statement:
// one round trip instead of about fifteen while the buyer's and payees' rows
// are locked. An assignment, rare, runs the steps from here one by one.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enqueueEntry } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import { exclusionRow, toExclusionRowParams } from '#licensing';
import { IdempotentTransaction } from '#platform';
import type { Listing } from '../listings/listing.js';
import { ListingsRepository } from '../listings/listings.repository.js';
import { WorkListability, type ListableWork } from '../listings/work-listability.js';
import { toLicenceView } from '../licences/licence-view.js';
import { HoldsRepository, type PlacedHold } from '../money/holds.repository.js';
import { feeAccountFor } from '../money/system-accounts.js';
import { licenceGrantedEntry, ownershipTransferredEntry, type Assignment } from './ledger-entries.js';
import { planSettlement, type SettlementPlan } from './settlement-plan.js';
import { assignmentView, settlementSummary, type SettlementBase, type SettlementView } from './settlement-view.js';
import { SettlementsRepository, type Owner } from './settlements.repository.js';

export interface SettlementIds {
  settlementId: string;
  holdId: string;
}

/** Set once money is held, so the caller knows a refusal must leave a voided hold. */
export interface SettlementProgress {
  holdPlaced: boolean;
}

export interface SettledListing {
  view: SettlementView;
  entryId: string;
}

/**
 * The settlement was planned for owners that changed before it ran (an
 * assignment committed in between): plan again from a fresh read.
 */
export class OwnersChangedMeanwhile extends Error {
  constructor() {
    super('the work\'s owners changed between planning and settling');
    this.name = 'OwnersChangedMeanwhile';
  }
}

type DbError = { driverError?: DbError; code?: string; message?: string; detail?: string; hint?: string };
const driverError = (error: unknown): DbError => (error as DbError).driverError ?? (error as DbError);

/** A placeholder in the planned answer: exchange_settle_licence() puts the database's time there. */
const FILLED_BY_DATABASE = new Date(0);

@Injectable()
export class SettleListing {
  constructor(
    private readonly listability: WorkListability,
    private readonly listings: ListingsRepository,
    private readonly holds: HoldsRepository,
    private readonly settlements: SettlementsRepository,
    private readonly tx: IdempotentTransaction,
  ) {}

  /**
   * A licence: plans it and settles it in one statement (its own
   * transaction, which also claims the Idempotency-Key and stores the
   * answer). `work` was read and checked with the listing just before.
   */
  async settleLicence(listing: Listing, work: ListableWork, buyerId: string, settledBy: string | null, ids: SettlementIds, progress: SettlementProgress): Promise<SettledListing> {
    progress.holdPlaced = false;
    const owners = work.owners;
    this.checkParties(listing, owners, buyerId);
    const plan = planSettlement(listing.price, listing.feeBp, owners, feeAccountFor(ids.settlementId));
    assertLinesFit(plan, owners, listing.price);
    const terms = listing.terms!;
    const base: SettlementBase = { id: ids.settlementId, kind: 'licence', listingId: listing.id, workId: listing.workId, buyerId, settledBy, feeBp: listing.feeBp, holdId: ids.holdId };
    const licenceId = randomUUID();
    const licensors = owners.map((o) => ({ partyId: o.partyId, shareBp: o.shareBp }));
    const entry = licenceGrantedEntry({ id: licenceId, workId: listing.workId, licenseeId: buyerId, licensors, terms, settlementId: base.id }, work.sha256);
    const answer: SettlementView = {
      settlement: settlementSummary({ ...base, settledAt: FILLED_BY_DATABASE }, plan),
      licence: toLicenceView({
        id: licenceId,
        workId: listing.workId,
        licenseeId: buyerId,
        licensors,
        terms,
        exclusive: terms.exclusive,
        status: 'active',
        listingId: listing.id,
        settlementId: base.id,
        entryId: '',
        grantedAt: FILLED_BY_DATABASE,
      }),
      assignment: null,
      ledger: pendingProof(`/v1/licences/${licenceId}`),
    };

    return this.tx.runInOneStatement(async (claim) => {
      let settled;
      try {
        settled = await this.settlements.settleLicence({
          claim,
          answer,
          settlement: { id: base.id, listingId: listing.id, workId: listing.workId, buyerId, settledBy, price: plan.price, feeBp: listing.feeBp, fee: plan.fee },
          holdId: ids.holdId,
          owners,
          lines: plan.lines,
          licence: { id: licenceId, licensors, terms },
          exclusion: toExclusionRowParams(exclusionRow(terms)),
          entry,
        });
      } catch (error) {
        throw this.refusal(error, progress);
      }
      if (!settled.claimed) return 'race-lost';
      return { result: { view: settled.answer as SettlementView, entryId: settled.entryId }, stored: settled.answer };
    });
  }

  /** The refusal a failed exchange_settle_licence() call stands for, if any; `progress` says whether money had been held. */
  private refusal(error: unknown, progress: SettlementProgress): unknown {
    const e = driverError(error);
    if (e.code === '23P01') {
      // Another buyer's licence committed (or was committing) over the same scope.
      progress.holdPlaced = true;
      return new AppError(ErrorCode.LicenceConflict, 'A licence over the same scope was granted concurrently, and one of the two is exclusive.', { concurrent: true });
    }
    if (e.code !== 'P0001') return error;
    progress.holdPlaced = e.hint === 'hold placed';
    switch (e.message) {
      case 'INSUFFICIENT_FUNDS': {
        const details = JSON.parse(e.detail ?? '{}') as { available: string; required: string };
        return new AppError(ErrorCode.InsufficientFunds, `The buyer's available balance is ${details.available} fen; ${details.required} fen are needed.`, details);
      }
      case 'LISTING_NOT_AVAILABLE':
        return notAvailable();
      case 'OWNERS_STALE':
        return new OwnersChangedMeanwhile();
      default:
        return error;
    }
  }

  /** An assignment, step by step in the caller's transaction. */
  async settleAssignment(manager: EntityManager, listing: Listing, buyerId: string, settledBy: string | null, ids: SettlementIds, progress: SettlementProgress): Promise<SettledListing> {
    progress.holdPlaced = false;
    const work = await this.listability.assertListable(manager, listing.workId, true);
    // Taken first: a second buyer of the same share stops here, holding nothing.
    if (!(await this.listings.setStatus(manager, listing.id, 'sold', ['active']))) throw notAvailable();
    // An assignment changes the shares: lock them.
    const owners = await this.settlements.owners(manager, listing.workId, true);
    this.checkParties(listing, owners, buyerId);
    const payees = owners.filter((o) => o.partyId === listing.sellerId).map((o) => ({ ...o, shareBp: 10_000 }));
    const plan = planSettlement(listing.price, listing.feeBp, payees, feeAccountFor(ids.settlementId));

    const hold = await this.holds.place(manager, { id: ids.holdId, partyId: buyerId, amount: listing.price, listingId: listing.id, settlementId: ids.settlementId });
    progress.holdPlaced = true;

    const base: SettlementBase = { id: ids.settlementId, kind: listing.kind, listingId: listing.id, workId: listing.workId, buyerId, settledBy, feeBp: listing.feeBp, holdId: hold.id };
    return this.assignShare(manager, listing, work, buyerId, base, plan, hold);
  }

  private checkParties(listing: Listing, owners: Owner[], buyerId: string): void {
    if (listing.consentRequired) {
      const consented = new Set(listing.consents.filter((c) => c.consentedAt).map((c) => c.partyId));
      const missing = owners.filter((o) => !consented.has(o.partyId)).map((o) => o.partyId);
      if (missing.length) {
        throw new AppError(ErrorCode.OwnersChanged, 'The work has owners who have not consented to this listing; it must be offered again.', { missingConsents: missing });
      }
    }
    if (listing.kind === 'licence' && owners.some((o) => o.partyId === buyerId)) {
      throw new AppError(ErrorCode.BuyerIsOwner, 'A co-owner needs no licence for its own work.');
    }
    if (listing.kind === 'assignment') {
      if (listing.sellerId === buyerId) throw new AppError(ErrorCode.BuyerIsOwner, 'The buyer of an assignment cannot be its seller.');
      const held = owners.find((o) => o.partyId === listing.sellerId)?.shareBp ?? 0;
      if (held < listing.shareBp!) {
        throw new AppError(ErrorCode.ShareNotHeld, `The seller now holds ${held} bp of the work, less than the ${listing.shareBp} bp offered.`, { heldBp: held });
      }
    }
  }

  private async assignShare(
    manager: EntityManager,
    listing: Listing,
    work: ListableWork,
    buyerId: string,
    base: SettlementBase,
    plan: SettlementPlan,
    hold: PlacedHold,
  ): Promise<SettledListing> {
    const assignment: Assignment = {
      id: randomUUID(),
      workId: listing.workId,
      assignorId: listing.sellerId!,
      assigneeId: buyerId,
      shareBp: listing.shareBp!,
      settlementId: base.id,
    };
    const entryId = await enqueueEntry((text, params) => manager.query(text, params), ownershipTransferredEntry(assignment, work.sha256));
    const settledAt = await this.settlements.insert(manager, { ...base, price: plan.price, fee: plan.fee, entryId });
    const assignedAt = await this.settlements.moveShare(manager, assignment, entryId, listing.id);
    const view: SettlementView = {
      settlement: settlementSummary({ ...base, settledAt }, plan),
      licence: null,
      assignment: assignmentView(assignment, assignedAt),
      ledger: pendingProof(`/v1/settlements/${base.id}`),
    };
    return this.postLast(manager, hold, plan, view, entryId);
  }

  /** The answer is stored first, so only COMMIT follows the statement that locks the payees' rows. */
  private async postLast(manager: EntityManager, hold: PlacedHold, plan: SettlementPlan, view: SettlementView, entryId: string): Promise<SettledListing> {
    await this.tx.answerWithin(manager, view);
    await this.holds.post(manager, hold, view.settlement.id, plan.lines);
    return { entryId, view };
  }
}

/** What HoldsRepository.post() checks of its lines, checked before the function posts them. */
function assertLinesFit(plan: SettlementPlan, owners: Owner[], price: bigint): void {
  const total = plan.lines.reduce((sum, line) => sum + line.amount, 0n);
  const credited = new Set(plan.lines.map((line) => line.creditAccountId));
  if (total !== price || plan.lines.some((line) => line.amount <= 0n) || credited.size !== plan.lines.length || owners.length === 0) {
    throw new Error(`settlement lines do not fit the price (${total} of ${price} fen to ${credited.size} accounts)`);
  }
}

function notAvailable(): AppError {
  return new AppError(ErrorCode.ListingNotAvailable, 'The listing was sold or withdrawn in the meantime.');
}

function pendingProof(proofUrl: string) {
  return { proofStatus: 'pending' as const, proofUrl };
}
