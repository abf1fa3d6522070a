// This process's part in the ledger, for GET /health: whether it is the one
// active sequencer, a standby ready to take over, or does not sequence at
// all. Operators (and the fail-over test) find the sequencer here instead of
// matching database sessions to processes.
import { Injectable } from '@nestjs/common';

export type SequencerRole = 'active' | 'standby' | 'none';

@Injectable()
export class LedgerStatus {
  private isActive: (() => boolean) | undefined;

  /** Called once by the ledger module when this process runs a sequencer. */
  track(isActive: () => boolean): void {
    this.isActive = isActive;
  }

  get sequencer(): SequencerRole {
    if (!this.isActive) return 'none';
    return this.isActive() ? 'active' : 'standby';
  }
}
