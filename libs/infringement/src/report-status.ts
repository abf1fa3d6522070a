// The infringement report workflow: which status changes an officer may make.
// A report is raised `open` (or `licensed` when the suspect party holds a
// licence covering the use); every change needs a reason and is kept in the
// report's history. `confirmed` is final: it is written to the public ledger.

export const REPORT_STATUSES = ['open', 'investigating', 'confirmed', 'dismissed', 'licensed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const NEXT: Record<ReportStatus, readonly ReportStatus[]> = {
  open: ['investigating', 'dismissed', 'licensed'],
  investigating: ['confirmed', 'dismissed', 'licensed', 'open'],
  // Final: an infringement.confirmed entry is on the ledger and cannot be taken back.
  confirmed: [],
  // Reopened when new facts arrive (e.g. the licence turned out not to cover the use).
  dismissed: ['investigating'],
  licensed: ['investigating'],
};

export function isReportStatus(value: unknown): value is ReportStatus {
  return typeof value === 'string' && (REPORT_STATUSES as readonly string[]).includes(value);
}

export function allowedNextStatuses(from: ReportStatus): readonly ReportStatus[] {
  return NEXT[from];
}

export function canChangeStatus(from: ReportStatus, to: ReportStatus): boolean {
  return NEXT[from].includes(to);
}

export type Severity = 'critical' | 'high' | 'medium';

/**
 * How urgent a report is: an exact duplicate (same SHA-256) registered or
 * published by another party is the strongest signal; a near copy scoring
 * 0.9 or more is high; anything else that passed the thresholds is medium.
 */
export function severityOf(matchKind: 'exact' | 'near', score: number): Severity {
  if (matchKind === 'exact') return 'critical';
  return score >= 0.9 ? 'high' : 'medium';
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 3, high: 2, medium: 1 };
