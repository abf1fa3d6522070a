// Creates a listing or a deal. Checks, in one transaction: the work may be
// traded, the creator owns it (listings), the share sold is held, an
// exclusive licence does not already collide with a granted one. Which
// consents are needed is fixed here: every co-owner's for an exclusive
// licence, an assignment or a deal, plus the buyer's for a deal. A listing
// that needs no further consent is active at once.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '#errors';
import { IdempotentTransaction } from '#platform';
import { licenceConflict } from '../../licences/licence-conflict.error.js';
import { LicenceConflicts } from '../../licences/licence-conflicts.js';
import type { Listing, ListingConsent } from '../listing.js';
import { toListingView, type ListingView } from '../listing-view.js';
import { ListingsRepository } from '../listings.repository.js';
import { WorkListability } from '../work-listability.js';
import type { CreateListingCommand } from './create-listing.command.js';

@Injectable()
export class CreateListingUseCase {
  constructor(
    private readonly tx: IdempotentTransaction,
    private readonly listings: ListingsRepository,
    private readonly listability: WorkListability,
    private readonly conflicts: LicenceConflicts,
  ) {}

  async execute(command: CreateListingCommand): Promise<ListingView> {
    if (command.kind === 'licence' && !command.terms) throw new AppError(ErrorCode.ValidationFailed, 'A licence listing needs terms.');
    if (command.kind === 'assignment' && (command.shareBp === undefined || command.terms)) {
      throw new AppError(ErrorCode.ValidationFailed, 'An assignment listing needs shareBp and no licence terms.');
    }
    return this.tx.run((manager) => this.create(manager, command));
  }

  private async create(manager: EntityManager, command: CreateListingCommand): Promise<ListingView> {
    const { owners } = await this.listability.assertListable(manager, command.workId);
    const isOwner = (partyId: string | undefined) => owners.some((o) => o.partyId === partyId);
    if (command.origin === 'listing' && !isOwner(command.createdBy)) {
      throw new AppError(ErrorCode.NotWorkOwner, 'Only a co-owner of the work can offer it.');
    }
    if (command.buyerId) await this.assertParty(manager, command.buyerId);

    const sellerId = command.kind === 'assignment' ? (command.origin === 'deal' ? command.sellerId : command.createdBy) : undefined;
    if (command.kind === 'assignment') {
      const held = owners.find((o) => o.partyId === sellerId)?.shareBp ?? 0;
      if (!sellerId || held === 0) throw new AppError(ErrorCode.NotWorkOwner, 'The seller of an assignment must be a co-owner of the work.');
      if (command.shareBp! > held) {
        throw new AppError(ErrorCode.ShareNotHeld, `The seller holds ${held} bp of the work; it cannot assign ${command.shareBp} bp.`, { heldBp: held });
      }
      if (command.buyerId === sellerId) throw new AppError(ErrorCode.BuyerIsOwner, 'The buyer of an assignment cannot be its seller.');
    }
    if (command.kind === 'licence' && command.buyerId && isOwner(command.buyerId)) {
      throw new AppError(ErrorCode.BuyerIsOwner, 'A co-owner needs no licence for its own work.');
    }
    const exclusive = command.kind === 'assignment' || command.terms!.exclusive;
    if (command.kind === 'licence' && command.terms!.exclusive) {
      const conflict = await this.conflicts.find(manager, command.workId, command.terms!);
      if (conflict) throw licenceConflict(conflict.licenceId);
    }

    const consentRequired = command.origin === 'deal' || exclusive;
    const now = new Date();
    const consents: ListingConsent[] = consentRequired
      ? [
          ...owners.map((o) => ({ partyId: o.partyId, role: 'owner' as const, consentedAt: o.partyId === command.createdBy ? now : null })),
          // A co-owner buying more of the work consents once, as an owner (one row per party).
          ...(command.buyerId && !isOwner(command.buyerId) ? [{ partyId: command.buyerId, role: 'buyer' as const, consentedAt: null }] : []),
        ]
      : [];
    const listing: Listing = {
      id: randomUUID(),
      workId: command.workId,
      kind: command.kind,
      origin: command.origin,
      createdBy: command.createdBy,
      sellerId: sellerId ?? null,
      shareBp: command.kind === 'assignment' ? command.shareBp! : null,
      terms: command.terms ?? null,
      exclusive,
      price: command.price,
      feeBp: command.feeBp,
      reservedFor: command.buyerId ?? null,
      consentRequired,
      status: consents.some((c) => c.consentedAt === null) ? 'awaiting_consent' : 'active',
      createdAt: now,
      consents,
    };
    await this.listings.insert(manager, listing);
    const saved = await this.listings.find(listing.id, manager);
    return toListingView(saved!);
  }

  private async assertParty(manager: EntityManager, partyId: string): Promise<void> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM parties WHERE id = $1', [partyId]);
    if (!rows.length) throw new AppError(ErrorCode.PartyNotFound, `No party with id ${partyId}.`);
  }
}
