import { MAX_RETRY_LATER_WAITS, retryLaterDelay } from './retry-later.js';

describe('retryLaterDelay', () => {
  it('doubles from the first wait up to five minutes', () => {
    expect([0, 1, 2, 3].map((w) => retryLaterDelay(w, 5000))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(retryLaterDelay(6, 5000)).toBe(300_000);
    expect(retryLaterDelay(10_000, 5000)).toBe(300_000);
  });

  it('lets a job wait about a day in all before its attempts are spent', () => {
    let total = 0;
    for (let w = 0; w < MAX_RETRY_LATER_WAITS; w++) total += retryLaterDelay(w, 5000);
    expect(total / 3_600_000).toBeGreaterThan(23);
    expect(total / 3_600_000).toBeLessThan(26);
  });
});
