import { paymentProblem, type SettlementPayments } from './settlement-payments.js';

// 10,007 fen at 250 bp: fee 250 (250.175 rounded half-up), net 9,757 split 6,000 / 4,000 bp.
const settled: SettlementPayments = {
  settlementId: 's1',
  price: '10007',
  feeBp: 250,
  fee: '250',
  payees: [
    { partyId: 'alice', shareBp: 6000 },
    { partyId: 'bob', shareBp: 4000 },
  ],
  proceeds: [
    { partyId: 'bob', amount: '3903' },
    { partyId: 'alice', amount: '5854' },
  ],
  paidByBuyer: true,
};

describe('paymentProblem', () => {
  it('finds nothing wrong with proceeds that follow the split, in any order', () => {
    expect(paymentProblem(settled)).toBeUndefined();
  });

  it('names proceeds that add up but went in other parts or to another party', () => {
    const swapped = paymentProblem({ ...settled, proceeds: [{ partyId: 'alice', amount: '5855' }, { partyId: 'bob', amount: '3902' }] });
    expect(swapped).toMatchObject({ settlementId: 's1', problems: ['the proceeds differ from the split of the net among the payees'], expectedPayouts: ['alice: 5854', 'bob: 3903'] });
    const elsewhere = paymentProblem({ ...settled, proceeds: [{ partyId: 'alice', amount: '5854' }, { partyId: 'mallory', amount: '3903' }] });
    expect(elsewhere?.actualPayouts).toEqual(['alice: 5854', 'mallory: 3903']);
  });

  it("names a fee that does not match its rate, and money taken from someone else's account", () => {
    expect(paymentProblem({ ...settled, fee: '251' })?.problems).toEqual(['fee 251 recorded, 250 at 250 bp']);
    expect(paymentProblem({ ...settled, paidByBuyer: false })?.problems).toEqual(["money was held or moved from an account other than the buyer's"]);
  });

  it('expects no transfer for a payee whose part is zero', () => {
    const tiny = { ...settled, price: '1', fee: '0', proceeds: [{ partyId: 'alice', amount: '1' }] };
    expect(paymentProblem(tiny)).toBeUndefined();
  });

  it('reports payees whose shares cannot be split instead of throwing', () => {
    expect(paymentProblem({ ...settled, payees: [{ partyId: 'alice', shareBp: 6000 }] })?.problems[0]).toMatch(/cannot be split/);
  });
});
