// A correction points at the registration's ledger index, so the registration
// must be integrated first. It almost always is (registration waits for it);
// otherwise wait the usual bounded time, then ask the caller to retry.
import { Inject, Injectable } from '@nestjs/common';
import { IntegrationWaiter, LedgerReader } from '#ledger-store';
import { AppError, ErrorCode } from '#errors';
import type { WorkEntity } from '#persistence';
import { APP_CONFIG, type AppConfig } from '#platform';

@Injectable()
export class RegistrationIndex {
  constructor(
    private readonly reader: LedgerReader,
    private readonly waiter: IntegrationWaiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(work: WorkEntity): Promise<number> {
    const entry = await this.reader.entryByEntryId(String(work.entryId));
    if (entry) return entry.index;
    const index = await this.waiter.waitFor(String(work.entryId), this.config.ledger.proofWaitMs);
    if (index === undefined) throw new AppError(ErrorCode.LedgerEntryPending, 'The registration is not in the ledger yet; retry in a few seconds.');
    return index;
  }
}
