import { allowedNextStatuses, canChangeStatus, REPORT_STATUSES, severityOf } from './report-status.js';

describe('report workflow', () => {
  it('lets an officer investigate, then confirm, dismiss or mark licensed; confirmed is final', () => {
    expect(canChangeStatus('open', 'investigating')).toBe(true);
    expect(canChangeStatus('open', 'confirmed')).toBe(false);
    expect(canChangeStatus('investigating', 'confirmed')).toBe(true);
    expect(allowedNextStatuses('confirmed')).toEqual([]);
    expect(canChangeStatus('dismissed', 'investigating')).toBe(true);
    expect(canChangeStatus('licensed', 'open')).toBe(false);
    for (const s of REPORT_STATUSES) expect(canChangeStatus(s, s)).toBe(false);
  });

  it('ranks an exact duplicate above any near copy', () => {
    expect(severityOf('exact', 1)).toBe('critical');
    expect(severityOf('near', 0.95)).toBe('high');
    expect(severityOf('near', 0.4)).toBe('medium');
  });
});
