// Registers a work: one atomic statement writes the work, its owners and its
// `work.registered` ledger entry (drawing the entry's id, so ledger order
// follows the order registrations are written); then the call waits, bounded, for the entry
// to be integrated so it can answer with the proof. Every step is counted in
// round trips, because registration throughput is the product's hot path:
// concurrent registrations share their lookup and their insert statement
// (StatementBatcher), and the proofs they answer with share one read.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { metadataHash, type PendingEntry } from '#ledger';
import { IntegrationWaiter } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import { SequenceBlocks, StatementBatcher, isDataError, type WorkEntity } from '#persistence';
import { APP_CONFIG, LedgerProofService, type AppConfig, type EntryProof } from '#platform';
import { registrationMetadata, toWorkView, type WorkView } from '../work-view.js';
import { TimeStampingService } from '../../tsa/time-stamping.service.js';
import { WorksRepository, type NewRegistration, type PriorRegistrations } from '../works.repository.js';
import type { RegisterWorkCommand } from './register-work.command.js';

export interface RegisterWorkResult {
  /** created: a new registration; existing: this registrant already registered this content. */
  outcome: 'created' | 'existing';
  work: WorkView;
  proof: EntryProof | undefined;
}

const TOTAL_SHARES = 10_000;
/** Registrations per shared statement: large enough for any load one process sees, small enough to keep a statement quick. */
const MAX_BATCH = 256;

@Injectable()
export class RegisterWorkUseCase {
  private readonly logger = new Logger(RegisterWorkUseCase.name);
  private readonly registrationNumbers: SequenceBlocks;
  private readonly priorLookups: StatementBatcher<{ registrantId: string; sha256: Buffer }, PriorRegistrations>;
  private readonly inserts: StatementBatcher<NewRegistration, { createdAt: Date; entryId: string } | null>;

  constructor(
    dataSource: DataSource,
    private readonly works: WorksRepository,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly timeStamps: TimeStampingService,
  ) {
    const query = (text: string, params?: unknown[]) => dataSource.query(text, params);
    this.registrationNumbers = new SequenceBlocks(query, 'work_registration_seq');
    this.priorLookups = new StatementBatcher((pairs) => works.priorRegistrations(pairs), { maxBatch: MAX_BATCH });
    this.inserts = new StatementBatcher((registrations) => works.insertRegistrations(registrations), { maxBatch: MAX_BATCH, isolate: isDataError });
  }

  async execute(command: RegisterWorkCommand): Promise<RegisterWorkResult> {
    const registrantId = command.principal.partyId;
    if (!registrantId) throw new AppError(ErrorCode.Forbidden, 'Register works with a key that belongs to a party (a creator key).');
    const sha256 = Buffer.from(command.sha256, 'hex');
    const owners = command.metadata.owners ?? [{ partyId: registrantId, shareBp: TOTAL_SHARES }];
    checkShares(owners);

    const { ownWorkId, earlier } = await this.priorLookups.submit({ registrantId, sha256 });
    if (ownWorkId) {
      const existing = await this.works.findEntity(ownWorkId);
      if (existing) return this.existing(existing);
    }
    await this.checkReferences(command, owners, registrantId);

    const seq = await this.registrationNumbers.next();
    const { metadata } = command;
    const work: Omit<WorkEntity, 'createdAt' | 'entryId'> = {
      id: randomUUID(),
      registrationNumber: `CR-${new Date().getUTCFullYear()}-${seq.padStart(8, '0')}`,
      registrantId,
      sha256,
      title: metadata.title,
      type: metadata.type,
      authors: metadata.authors.map((a) => (a.role ? { name: a.name, role: a.role } : { name: a.name })),
      completedOn: metadata.completedOn ?? null,
      publication: metadata.publication ? { date: metadata.publication.date, place: metadata.publication.place } : null,
      description: metadata.description ?? null,
      derivedFromId: metadata.derivedFrom ?? null,
      contentStored: command.content !== undefined,
      sizeBytes: command.content ? String(command.content.sizeBytes) : null,
      mediaType: command.content?.mediaType ?? null,
      priorityWorkId: earlier?.workId ?? null,
      status: 'registered',
    };
    // Issue 3: an RFC 3161 token over the SHA-256 (native signing, ~0.1 ms), stored with the
    // registration and bound to it by its hash in the entry. Undefined when switched off.
    const timeStamp = await this.timeStamps.stampRegistration(sha256);
    const entry: PendingEntry = {
      kind: 'work.registered',
      subject: { type: 'work', id: work.id },
      workSha256: command.sha256,
      metadataHash: metadataHash(registrationMetadata(work)),
      parties: [{ role: 'registrant', id: registrantId }, ...owners.map((o) => ({ role: 'owner', id: o.partyId, shareBp: o.shareBp }))],
      refs: {
        registrationNumber: work.registrationNumber,
        ...(work.derivedFromId ? { derivedFrom: work.derivedFromId } : {}),
        ...(earlier ? { priorWork: earlier.workId } : {}),
        ...(timeStamp ? { timeStamp: timeStamp.responseSha256 } : {}),
      },
    };

    // The upload enters the content store only now that the registration is accepted (issue 6).
    await command.content?.store?.();
    const inserted = await this.inserts.submit({ work, owners, entry, ...(timeStamp ? { timeStamp } : {}) });
    if (!inserted) {
      // A concurrent identical request won the race: answer with its registration.
      const winner = await this.works.findByRegistrantAndHash(registrantId, sha256);
      if (winner) return this.existing(winner);
      throw new Error(`registration of ${command.sha256} neither inserted nor found`);
    }
    const { createdAt, entryId } = inserted;
    this.logger.debug(`registered work ${work.id} (${work.registrationNumber}) entry ${entryId}`);

    await this.waiter.waitFor(entryId, this.config.ledger.proofWaitMs);
    return { outcome: 'created', work: toWorkView({ ...work, createdAt, entryId }, owners, earlier), proof: await this.proofs.forEntry(entryId) };
  }

  /** The registrant's earlier registration, with its proof once integrated (it may have been queued a moment ago by a concurrent call). */
  private async existing(work: WorkEntity): Promise<RegisterWorkResult> {
    const [view, proof] = await Promise.all([this.works.view(work), this.proofs.forEntry(work.entryId)]);
    if (proof) return { outcome: 'existing', work: view, proof };
    await this.waiter.waitFor(work.entryId, this.config.ledger.proofWaitMs);
    return { outcome: 'existing', work: view, proof: await this.proofs.forEntry(work.entryId) };
  }

  /** Co-owners and the work it derives from must exist (one query each, only when given). */
  private async checkReferences(command: RegisterWorkCommand, owners: Array<{ partyId: string }>, registrantId: string): Promise<void> {
    const others = owners.map((o) => o.partyId).filter((id) => id !== registrantId);
    const [missing, derived] = await Promise.all([
      others.length ? this.works.unknownParties(others) : Promise.resolve([]),
      command.metadata.derivedFrom ? this.works.findEntity(command.metadata.derivedFrom) : Promise.resolve(undefined),
    ]);
    if (missing.length) throw new AppError(ErrorCode.PartyNotFound, `Unknown co-owner party: ${missing.join(', ')}.`, { partyIds: missing });
    if (derived === null) throw new AppError(ErrorCode.DerivedFromNotFound, `derivedFrom names no registered work (${command.metadata.derivedFrom}).`);
  }
}

function checkShares(owners: Array<{ partyId: string; shareBp: number }>): void {
  const total = owners.reduce((sum, o) => sum + o.shareBp, 0);
  if (total !== TOTAL_SHARES) {
    throw new AppError(ErrorCode.InvalidShares, `Owner shares must sum to 10000 basis points; they sum to ${total}.`, { total });
  }
  if (new Set(owners.map((o) => o.partyId)).size !== owners.length) {
    throw new AppError(ErrorCode.InvalidShares, 'Each co-owner may appear only once; merge their shares.');
  }
}
