import { mayAmend, mayWithdraw, type Standing } from './correction-rights.js';

const standing = (over: Partial<Standing>): Standing => ({ isRegistrant: false, shareBp: 0, assigned: false, ...over });

describe('correction rights', () => {
  it('lets the registrant amend and withdraw while no share has been assigned, even holding none (filed for others)', () => {
    for (const shareBp of [0, 4000, 10_000]) {
      expect(mayAmend(standing({ isRegistrant: true, shareBp }))).toBe(true);
      expect(mayWithdraw(standing({ isRegistrant: true, shareBp }))).toBe(true);
    }
  });

  it('takes both from a registrant that sold every share', () => {
    const seller = standing({ isRegistrant: true, shareBp: 0, assigned: true });
    expect(mayAmend(seller)).toBe(false);
    expect(mayWithdraw(seller)).toBe(false);
  });

  it('lets any current co-owner amend, but only the holder of the whole work withdraw after an assignment', () => {
    expect(mayAmend(standing({ shareBp: 1 }))).toBe(true);
    expect(mayWithdraw(standing({ shareBp: 9999, assigned: true }))).toBe(false);
    expect(mayWithdraw(standing({ isRegistrant: true, shareBp: 6000, assigned: true }))).toBe(false);
    expect(mayWithdraw(standing({ shareBp: 10_000, assigned: true }))).toBe(true);
  });

  it('refuses a party with no share that did not register the work', () => {
    expect(mayAmend(standing({}))).toBe(false);
    expect(mayWithdraw(standing({ assigned: true }))).toBe(false);
  });
});
