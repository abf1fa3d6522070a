// Registers a work: one transaction writes the work, its owners and its
// `work.registered` ledger entry; then the call waits, bounded, for the entry
// to be integrated so it can answer with the proof.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { metadataHash, type PendingEntry } from '#ledger';
import { enqueueEntry, IntegrationWaiter, type Sql } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import { PartyEntity, WorkEntity, WorkOwnerEntity } from '#persistence';
import { APP_CONFIG, LedgerProofService, type AppConfig, type EntryProof } from '#platform';
import { registrationMetadata, type WorkView } from '../work-view.js';
import { WorksRepository } from '../works.repository.js';
import type { RegisterWorkCommand } from './register-work.command.js';

export interface RegisterWorkResult {
  /** created: a new registration; existing: this registrant already registered this content. */
  outcome: 'created' | 'existing';
  work: WorkView;
  proof: EntryProof | undefined;
}

const TOTAL_SHARES = 10_000;

function managerSql(manager: EntityManager): Sql {
  return (text, params) => manager.query(text, params);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string; driverError?: { code?: string } }).driverError?.code === '23505' || (error as { code?: string }).code === '23505';
}

@Injectable()
export class RegisterWorkUseCase {
  private readonly logger = new Logger(RegisterWorkUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly works: WorksRepository,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: RegisterWorkCommand): Promise<RegisterWorkResult> {
    const registrantId = command.principal.partyId;
    if (!registrantId) throw new AppError(ErrorCode.Forbidden, 'Register works with a key that belongs to a party (a creator key).');
    const sha256 = Buffer.from(command.sha256, 'hex');

    const existing = await this.works.findByRegistrantAndHash(registrantId, sha256);
    if (existing) return this.existing(existing);

    const owners = command.metadata.owners ?? [{ partyId: registrantId, shareBp: TOTAL_SHARES }];
    this.checkShares(owners);

    let work: WorkEntity;
    try {
      work = await this.dataSource.transaction((manager) => this.write(manager, command, registrantId, sha256, owners));
    } catch (error) {
      // A concurrent identical request won the race: answer with its registration.
      if (isUniqueViolation(error)) {
        const winner = await this.works.findByRegistrantAndHash(registrantId, sha256);
        if (winner) return this.existing(winner);
      }
      throw error;
    }
    this.logger.log(`registered work ${work.id} (${work.registrationNumber}) entry ${work.entryId}`);

    await this.waiter.waitFor(work.entryId, this.config.ledger.proofWaitMs);
    return { outcome: 'created', work: await this.works.view(work), proof: await this.proofs.forEntry(work.entryId) };
  }

  private async existing(work: WorkEntity): Promise<RegisterWorkResult> {
    return { outcome: 'existing', work: await this.works.view(work), proof: await this.proofs.forEntry(work.entryId) };
  }

  private checkShares(owners: Array<{ partyId: string; shareBp: number }>): void {
    const total = owners.reduce((sum, o) => sum + o.shareBp, 0);
    if (total !== TOTAL_SHARES) {
      throw new AppError(ErrorCode.InvalidShares, `Owner shares must sum to 10000 basis points; they sum to ${total}.`, { total });
    }
    if (new Set(owners.map((o) => o.partyId)).size !== owners.length) {
      throw new AppError(ErrorCode.InvalidShares, 'Each co-owner may appear only once; merge their shares.');
    }
  }

  private async write(
    manager: EntityManager,
    command: RegisterWorkCommand,
    registrantId: string,
    sha256: Buffer,
    owners: Array<{ partyId: string; shareBp: number }>,
  ): Promise<WorkEntity> {
    const { metadata } = command;
    const partyIds = owners.map((o) => o.partyId);
    const known = await manager.getRepository(PartyEntity).createQueryBuilder('p').select('p.id').where('p.id IN (:...partyIds)', { partyIds }).getMany();
    const missing = partyIds.filter((id) => !known.some((p) => p.id === id));
    if (missing.length) throw new AppError(ErrorCode.PartyNotFound, `Unknown co-owner party: ${missing.join(', ')}.`, { partyIds: missing });
    if (metadata.derivedFrom && !(await this.works.findEntity(metadata.derivedFrom, manager))) {
      throw new AppError(ErrorCode.DerivedFromNotFound, `derivedFrom names no registered work (${metadata.derivedFrom}).`);
    }

    const earlier = await this.works.findEarlierByOther(sha256, registrantId, manager);
    const [{ seq }] = await manager.query(`SELECT nextval('work_registration_seq') AS seq`);
    const id = randomUUID();
    const work = manager.getRepository(WorkEntity).create({
      id,
      registrationNumber: `CR-${new Date().getUTCFullYear()}-${String(seq).padStart(8, '0')}`,
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
      priorityWorkId: earlier?.id ?? null,
      status: 'registered',
    });

    const entry: PendingEntry = {
      kind: 'work.registered',
      subject: { type: 'work', id },
      workSha256: command.sha256,
      metadataHash: metadataHash(registrationMetadata(work)),
      parties: [{ role: 'registrant', id: registrantId }, ...owners.map((o) => ({ role: 'owner', id: o.partyId, shareBp: o.shareBp }))],
      refs: {
        registrationNumber: work.registrationNumber,
        ...(work.derivedFromId ? { derivedFrom: work.derivedFromId } : {}),
        ...(earlier ? { priorWork: earlier.id } : {}),
      },
    };
    work.entryId = await enqueueEntry(managerSql(manager), entry);
    await manager.getRepository(WorkEntity).insert(work);
    await manager.getRepository(WorkOwnerEntity).insert(owners.map((o) => ({ workId: id, partyId: o.partyId, shareBp: o.shareBp })));
    return manager.getRepository(WorkEntity).findOneByOrFail({ id });
  }
}
