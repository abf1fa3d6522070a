// Hands out values of a PostgreSQL sequence from blocks fetched ahead, so a
// hot path (one registration) does not pay a round trip per value. Values stay
// unique across processes; a process that stops leaves a harmless gap.
export type QueryFn = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

export class SequenceBlocks {
  private values: string[] = [];
  private refill: Promise<void> | undefined;

  constructor(
    private readonly query: QueryFn,
    private readonly sequence: string,
    private readonly blockSize = 64,
  ) {}

  async next(): Promise<string> {
    while (this.values.length === 0) {
      this.refill ??= this.fetch().finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.values.shift()!;
  }

  private async fetch(): Promise<void> {
    const rows = await this.query(`SELECT nextval($1::regclass)::text AS value FROM generate_series(1, $2)`, [this.sequence, this.blockSize]);
    this.values.push(...rows.map((row) => String(row.value)));
  }
}
