// Who may correct a registration. Shares move with assignments on the
// exchange, so the right to amend or withdraw follows the current owners: the
// registrant keeps it only until a share of the work has been assigned. A
// former owner must not rewrite or withdraw a work it sold (a withdrawn work
// can no longer be traded by the party who bought it).

/** Where a party stands towards a work, read under the work's row lock. */
export interface Standing {
  isRegistrant: boolean;
  /** The share the party holds now, in basis points (0: none). */
  shareBp: number;
  /** Whether any share of the work has been assigned since its registration. */
  assigned: boolean;
}

const WHOLE_WORK_BP = 10_000;

/** Any current co-owner; the registrant while the owners are still the registered ones. */
export function mayAmend(standing: Standing): boolean {
  return standing.shareBp > 0 || (standing.isRegistrant && !standing.assigned);
}

/**
 * The registrant while the owners are still the registered ones (a co-owner
 * alone must not withdraw everyone's registration); after an assignment, only
 * a party that holds the whole work.
 */
export function mayWithdraw(standing: Standing): boolean {
  return standing.shareBp === WHOLE_WORK_BP || (standing.isRegistrant && !standing.assigned);
}
