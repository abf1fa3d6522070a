// Who holds rights in a work, for what a party may see and do about it (its
// infringement reports, its disputes): its current co-owners, and its
// registrant until a share of the work has been assigned on the exchange.
// The same rule as correction-rights.ts (amendments), in SQL: a party that
// sold the work no longer sees the reports, evidence and takedown notices
// that now concern its buyers.

/**
 * SQL condition: party `party` (a placeholder such as `$2`) holds rights in
 * the work whose id is `workId` and registrant `registrantId` (column
 * expressions of the caller's query).
 */
export function rightHolderSql(workId: string, registrantId: string, party: string): string {
  return `(EXISTS (SELECT 1 FROM work_owners rh WHERE rh.work_id = ${workId} AND rh.party_id = ${party})
    OR (${registrantId} = ${party} AND NOT EXISTS (SELECT 1 FROM assignments ra WHERE ra.work_id = ${workId})))`;
}
