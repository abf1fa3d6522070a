// Business transactions call this to put an entry on the ledger queue inside
// their own transaction: the entry exists if and only if the change commits.
import type { PendingEntry } from '#ledger';
import { QUEUED_CHANNEL } from './ledger-channels.js';
import type { Sql } from './sql.js';

/** Returns the entry id, by which the integrated entry is found later. */
export async function enqueueEntry(sql: Sql, entry: PendingEntry): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ledger_queue (body, subject_id) VALUES ($1, $2) RETURNING id`,
    [JSON.stringify(entry), entry.subject.id],
  );
  // Delivered at commit; wakes the sequencer at once instead of at its next poll.
  await sql(`SELECT pg_notify($1, '')`, [QUEUED_CHANNEL]);
  return row.id;
}
