// A fingerprint of everything stored, to prove that a refused request left no
// trace: the content of every table (tables added later included), except
// the ledger's tree and checkpoints, which the sequencer writes on its own;
// queued plus integrated ledger entries are counted instead.
import pg from 'pg';

const MOVED_BY_THE_SEQUENCER = new Set(['ledger_entries', 'ledger_queue', 'ledger_node_runs', 'ledger_checkpoints', 'migrations', 'typeorm_metadata']);

export interface DbDigest {
  /** One hash per table, plus "ledger" (queued + integrated entries). */
  tables: Record<string, string>;
}

export class DbDigester {
  private readonly pool: pg.Pool;
  private query: string | undefined;

  constructor(databaseUrl = process.env.TEST_RUN_DATABASE_URL!) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }

  async digest(): Promise<DbDigest> {
    if (!this.query) {
      const { rows } = await this.pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      const parts = rows
        .map((r) => r.table_name)
        .filter((name) => !MOVED_BY_THE_SEQUENCER.has(name))
        .map((name) => `SELECT '${name}' AS t, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS d FROM (SELECT md5(x::text) AS h FROM "${name}" x) s`);
      parts.push(`SELECT 'ledger' AS t, ((SELECT count(*) FROM ledger_entries) + (SELECT count(*) FROM ledger_queue))::text AS d`);
      this.query = parts.join(' UNION ALL ');
    }
    const { rows } = await this.pool.query<{ t: string; d: string }>(this.query);
    return { tables: Object.fromEntries(rows.map((r) => [r.t, r.d])) };
  }

  /** Tables whose content differs between two digests. */
  static changed(before: DbDigest, after: DbDigest): string[] {
    return Object.keys(after.tables).filter((t) => before.tables[t] !== after.tables[t]);
  }

  async count(table: string): Promise<number> {
    return Number((await this.pool.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
