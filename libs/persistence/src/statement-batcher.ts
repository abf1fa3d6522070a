// Coalesces concurrent calls into batches, so that under load many requests
// share one statement (one round trip, one commit) while a lone call on an
// idle process still runs at once. Calls that arrive while `concurrency`
// batches are in flight wait for the next batch; that wait is what makes the
// batches grow with the load, with no timer to tune.
export interface StatementBatcherOptions {
  /** The most inputs one run receives. */
  maxBatch: number;
  /** How many runs may be in flight at once (default 2). */
  concurrency?: number;
  /**
   * Which failures of a run of several inputs to retry one input at a time,
   * so that one bad input fails only its own caller (runs must then be
   * all-or-nothing). Default: none. Say yes to errors an input can cause
   * (a constraint it breaks), not to a lost connection, which would only be
   * repeated once per input.
   */
  isolate?: (error: unknown) => boolean;
}

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export class StatementBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;

  /** `run` answers one output per input, in the same order. */
  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly options: StatementBatcherOptions,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= (this.options.concurrency ?? 2)) return;
    this.scheduled = true;
    // After the current I/O callbacks, so calls made in the same turn share the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    this.schedule(); // more are waiting than one batch holds
    try {
      await this.settle(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async settle(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const outputs = await this.run(batch.map((p) => p.input));
      if (outputs.length !== batch.length) throw new Error(`batch run answered ${outputs.length} outputs for ${batch.length} inputs`);
      batch.forEach((p, i) => p.resolve(outputs[i]!));
    } catch (error) {
      if (batch.length > 1 && this.options.isolate?.(error)) {
        await Promise.all(batch.map((p) => this.settle([p])));
      } else {
        for (const p of batch) p.reject(error);
      }
    }
  }
}
