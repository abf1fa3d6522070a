// Business transactions call this to put an entry on the ledger queue inside
// their own transaction: the entry exists if and only if the change commits.
// No NOTIFY here: PostgreSQL serialises the commits of notifying transactions
// (one WAL flush at a time), which would cap registrations at the disk's
// flush rate. The sequencer polls the queue instead (a cheap indexed query).
import type { PendingEntry } from '#ledger';
import type { Sql } from './sql.js';

/** Returns the entry id, by which the integrated entry is found later. */
export async function enqueueEntry(sql: Sql, entry: PendingEntry): Promise<string> {
  const [row] = await sql<{ id: string }>(`INSERT INTO ledger_queue (body, subject_id) VALUES ($1, $2) RETURNING id`, [JSON.stringify(entry), entry.subject.id]);
  return String(row.id);
}
