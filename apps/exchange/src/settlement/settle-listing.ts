// The settlement transaction, step by step. Everything here runs inside one
// database transaction, so a licence or share, its money and its ledger
// entry exist together or not at all:
//   1. the work may still be traded, the consents still cover its owners;
//   2. the price is held from the buyer (refused if not available);
//   3. licence: no conflicting licence (checked, then enforced by the
//      exclusion constraint); assignment: the seller still holds the share;
//   4. the ledger entry is queued, the settlement, licence or assignment
//      rows written;
//   5. the hold is posted: fee to the exchange, the net split among payees.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { enqueueEntry } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import { IdempotentTransaction } from '#platform';
import { licenceConflict } from '../licences/licence-conflict.error.js';
import type { Listing } from '../listings/listing.js';
import { ListingsRepository } from '../listings/listings.repository.js';
import { WorkListability, type ListableWork } from '../listings/work-listability.js';
import { LicenceConflicts } from '../licences/licence-conflicts.js';
import { toLicenceView } from '../licences/licence-view.js';
import { LicencesRepository } from '../licences/licences.repository.js';
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

const sqlState = (error: unknown) => (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;

@Injectable()
export class SettleListing {
  constructor(
    private readonly listability: WorkListability,
    private readonly listings: ListingsRepository,
    private readonly licences: LicencesRepository,
    private readonly conflicts: LicenceConflicts,
    private readonly holds: HoldsRepository,
    private readonly settlements: SettlementsRepository,
    private readonly tx: IdempotentTransaction,
  ) {}

  async settle(manager: EntityManager, listing: Listing, buyerId: string, settledBy: string | null, ids: SettlementIds, progress: SettlementProgress): Promise<SettledListing> {
    progress.holdPlaced = false;
    const work = await this.listability.assertListable(manager, listing.workId);
    if (listing.kind === 'assignment') {
      // Taken first: a second buyer of the same share stops here, holding nothing.
      if (!(await this.listings.setStatus(manager, listing.id, 'sold', ['active']))) throw notAvailable();
    }
    // An assignment changes the shares: lock them (a licence only reads them).
    const owners = listing.kind === 'assignment' ? await this.settlements.owners(manager, listing.workId, true) : work.owners;
    this.checkParties(listing, owners, buyerId);
    const payees =
      listing.kind === 'licence' ? owners : owners.filter((o) => o.partyId === listing.sellerId).map((o) => ({ ...o, shareBp: 10_000 }));
    const plan = planSettlement(listing.price, listing.feeBp, payees, feeAccountFor(ids.settlementId));

    const hold = await this.holds.place(manager, { id: ids.holdId, partyId: buyerId, amount: listing.price, listingId: listing.id, settlementId: ids.settlementId });
    progress.holdPlaced = true;

    const base: SettlementBase = { id: ids.settlementId, kind: listing.kind, listingId: listing.id, workId: listing.workId, buyerId, settledBy, feeBp: listing.feeBp, holdId: hold.id };
    return listing.kind === 'licence'
      ? this.grantLicence(manager, listing, work, owners, buyerId, base, plan, hold)
      : this.assignShare(manager, listing, work, buyerId, base, plan, hold);
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

  private async grantLicence(
    manager: EntityManager,
    listing: Listing,
    work: ListableWork,
    owners: Owner[],
    buyerId: string,
    base: SettlementBase,
    plan: SettlementPlan,
    hold: PlacedHold,
  ): Promise<SettledListing> {
    const terms = listing.terms!;
    const conflict = await this.conflicts.find(manager, listing.workId, terms);
    if (conflict) throw licenceConflict(conflict.licenceId);

    const licenceId = randomUUID();
    const licensors = owners.map((o) => ({ partyId: o.partyId, shareBp: o.shareBp }));
    const entryId = await enqueueEntry((text, params) => manager.query(text, params), licenceGrantedEntry(
      { id: licenceId, workId: listing.workId, licenseeId: buyerId, licensors, terms, settlementId: base.id },
      work.sha256,
    ));
    const settledAt = await this.settlements.insert(manager, { ...base, price: plan.price, fee: plan.fee, entryId });
    const licence = await this.licences.insert(manager, {
      id: licenceId,
      workId: listing.workId,
      licenseeId: buyerId,
      licensors,
      terms,
      exclusive: terms.exclusive,
      listingId: listing.id,
      settlementId: base.id,
      entryId,
    });
    try {
      await this.conflicts.reserve(manager, licenceId, listing.workId, terms);
    } catch (error) {
      // Another buyer's licence committed (or is committing) over the same scope.
      if (sqlState(error) === '23P01') {
        throw new AppError(ErrorCode.LicenceConflict, 'A licence over the same scope was granted concurrently, and one of the two is exclusive.', { concurrent: true });
      }
      throw error;
    }
    if (terms.exclusive && !(await this.listings.setStatus(manager, listing.id, 'sold', ['active']))) throw notAvailable();

    const view: SettlementView = {
      settlement: settlementSummary({ ...base, settledAt }, plan),
      licence: toLicenceView(licence),
      assignment: null,
      ledger: pendingProof(`/v1/licences/${licenceId}`),
    };
    return this.postLast(manager, hold, plan, view, entryId);
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

function notAvailable(): AppError {
  return new AppError(ErrorCode.ListingNotAvailable, 'The listing was sold or withdrawn in the meantime.');
}

function pendingProof(proofUrl: string) {
  return { proofStatus: 'pending' as const, proofUrl };
}
