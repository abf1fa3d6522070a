// Builds the public view of registrations (no key): status, time, registrant
// name, the ledger entries with proofs, and the time-stamp response. Metadata
// such as the title stays with the certificate holder.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PublicLookup, PublicRegistration } from '#certificate';
import { verifierKey, type NoteSigner } from '#ledger';
import { WorkEntity } from '#persistence';
import { NOTE_SIGNER } from '#platform';
import { WorkEvidenceRepository } from '../certificates/work-evidence.repository.js';

/** A content hash registered by more parties than this is answered with the earliest ones. */
const MAX_REGISTRATIONS = 20;

@Injectable()
export class PublicRegistrationQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: WorkEvidenceRepository,
    @Inject(NOTE_SIGNER) private readonly signer: NoteSigner,
  ) {}

  /** Every registration of this content, earliest first (the first one has priority). */
  async bySha256(sha256Hex: string): Promise<PublicLookup> {
    const works = await this.dataSource
      .getRepository(WorkEntity)
      .createQueryBuilder('w')
      .where('w.sha256 = :sha256', { sha256: Buffer.from(sha256Hex, 'hex') })
      .orderBy('w.created_at', 'ASC')
      .addOrderBy('w.id', 'ASC')
      .limit(MAX_REGISTRATIONS)
      .getMany();
    return this.lookup(works);
  }

  async byId(workId: string): Promise<PublicLookup> {
    const work = await this.dataSource.getRepository(WorkEntity).findOneBy({ id: workId });
    return this.lookup(work ? [work] : []);
  }

  private async lookup(works: WorkEntity[]): Promise<PublicLookup> {
    const [loaded, names] = await Promise.all([
      Promise.all(works.map(async (work) => ({ work, evidence: await this.evidence.load(work) }))),
      this.evidence.partyNames(works.map((w) => w.registrantId)),
    ]);
    // Each work's proofs are against the checkpoint read for it; answer with one checkpoint by
    // reloading any work whose proofs were made against an older one than the newest seen.
    const newest = loaded.reduce<(typeof loaded)[number]['evidence']['checkpoint']>(
      (best, { evidence }) => (evidence.checkpoint && (!best || evidence.checkpoint.treeSize > best.treeSize) ? evidence.checkpoint : best),
      undefined,
    );
    for (const item of loaded) {
      if (newest && item.evidence.checkpoint?.treeSize !== newest.treeSize) item.evidence = await this.evidence.load(item.work, newest);
    }
    const registrations: PublicRegistration[] = loaded.map(({ work, evidence }) => ({
      workId: work.id,
      registrationNumber: work.registrationNumber,
      sha256: work.sha256.toString('hex'),
      status: work.status,
      registeredAt: work.createdAt.toISOString(),
      registrant: { id: work.registrantId, name: names.get(work.registrantId) ?? null },
      entries: evidence.entries.map(({ metadata: _metadata, ...entry }) => entry),
      pendingEntries: evidence.pending,
      timeStamp: evidence.timeStamp
        ? { response: evidence.timeStamp.response.toString('base64'), genTime: evidence.timeStamp.genTime.toISOString(), serialNumber: evidence.timeStamp.serialNumber }
        : null,
    }));
    return { checkpoint: newest?.note ?? null, verifierKey: verifierKey(this.signer), registrations };
  }
}
