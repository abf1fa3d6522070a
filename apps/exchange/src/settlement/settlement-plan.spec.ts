import fc from 'fast-check';
import { EXCHANGE_FEE_ACCOUNTS, feeAccountFor } from '../money/system-accounts.js';
import { planSettlement, type Payee } from './settlement-plan.js';

/** Random co-owner shares summing to 10,000 bp. */
const payeesArb = fc
  .array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 })
  .map((weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const shares = weights.map((w) => Math.max(1, Math.floor((w * 10_000) / total)));
    let excess = shares.reduce((a, b) => a + b, 0) - 10_000;
    for (let i = 0; excess !== 0; i = (i + 1) % shares.length) {
      if (excess > 0 && shares[i] > 1) {
        shares[i]--;
        excess--;
      } else if (excess < 0) {
        shares[i]++;
        excess++;
      }
    }
    return shares.map((shareBp, i): Payee => ({ partyId: `party-${i}`, accountId: `account-${i}`, shareBp }));
  });

describe('planSettlement', () => {
  it('moves exactly the price: fee plus every payout, no negative and no zero line', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.integer({ min: 0, max: 10_000 }), payeesArb, (price, feeBp, payees) => {
        const plan = planSettlement(price, feeBp, payees, 'fee-account');
        const moved = plan.lines.reduce((sum, line) => sum + line.amount, 0n);
        expect(moved).toBe(price);
        expect(plan.fee + plan.payouts.reduce((sum, p) => sum + p.amount, 0n)).toBe(price);
        expect(plan.lines.every((line) => line.amount > 0n)).toBe(true);
        expect(plan.payouts.every((p) => p.amount >= 0n)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('pays each co-owner within one fen of its exact share of the net', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10_000 }), payeesArb, (price, feeBp, payees) => {
        const plan = planSettlement(price, feeBp, payees, 'fee-account');
        plan.payouts.forEach((p, i) => {
          const exactTimes10k = plan.net * BigInt(payees[i].shareBp);
          const diff = p.amount * 10_000n - exactTimes10k;
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('puts the fee first, credited to the exchange fee account', () => {
    const plan = planSettlement(
      10_001n,
      250,
      [
        { partyId: 'a', accountId: 'acc-a', shareBp: 5000 },
        { partyId: 'b', accountId: 'acc-b', shareBp: 5000 },
      ],
      'fee-account',
    );
    expect(plan.fee).toBe(250n);
    expect(plan.lines[0]).toEqual({ kind: 'exchange_fee', creditAccountId: 'fee-account', amount: 250n });
    expect(plan.payouts.map((p) => p.amount)).toEqual([4876n, 4875n]);
  });

  it('drops a zero fee and zero payouts instead of booking empty transfers', () => {
    const plan = planSettlement(
      1n,
      0,
      [
        { partyId: 'a', accountId: 'acc-a', shareBp: 9999 },
        { partyId: 'b', accountId: 'acc-b', shareBp: 1 },
      ],
      'fee-account',
    );
    expect(plan.lines).toEqual([{ kind: 'sale_proceeds', creditAccountId: 'acc-a', amount: 1n }]);
  });

  it('spreads settlements over all fee accounts', () => {
    const used = new Set(Array.from({ length: 256 }, (_, i) => feeAccountFor(`${i.toString(16).padStart(2, '0')}000000-0000-4000-8000-000000000000`)));
    expect([...used].sort()).toEqual([...EXCHANGE_FEE_ACCOUNTS].sort());
  });
});
