import pg from 'pg';
import request from 'supertest';
import { verifyCertificate } from '#certificate';
import { decodeEntry } from '#ledger';
import { verifyBundle } from '../support/proofs.js';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import type { TestParty } from '../support/test-app.js';

describe('exchange: assignments and negotiated deals', () => {
  let h: ExchangeHarness;
  let alice: TestParty;
  let bob: TestParty;
  let buyer: TestParty;
  let vkey: string;

  beforeAll(async () => {
    h = await startExchangeHarness();
    [alice, bob, buyer] = await Promise.all([h.party('Alice'), h.party('Bob'), h.party('Buyer')]);
    vkey = (await h.registryGet('/v1/ledger/key').expect(200)).text.trim();
  });
  afterAll(() => h.close());

  it('moves part of a share with every co-owner consenting, pays the seller only, keeps licences, and shows in the work', async () => {
    const work = await h.work([
      [alice, 6000],
      [bob, 4000],
    ]);
    await h.deposit(buyer, 1_000_000);
    // A licence granted before the assignment survives it.
    const lic = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: '1000' }).expect(201)).body;
    const licensee = await h.party('Licensee');
    await h.deposit(licensee, 1000);
    const licence = (await h.post(`/v1/listings/${lic.id}/purchase`, licensee).expect(201)).body.licence;

    expect((await h.post('/v1/listings', alice, { workId: work, kind: 'assignment', shareBp: 6001, price: '1' }).expect(409)).body.error.code).toBe('SHARE_NOT_HELD');
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'assignment', shareBp: 2500, price: '400000' }).expect(201)).body;
    expect(listing).toMatchObject({ status: 'awaiting_consent', assignment: { sellerId: alice.partyId, shareBp: 2500 }, exclusive: true });
    expect((await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(409)).body.error.code).toBe('CONSENT_REQUIRED');
    await h.post(`/v1/listings/${listing.id}/consents`, bob).expect(200);
    const aliceBefore = BigInt((await h.balance(alice)).balance);
    const bobBefore = BigInt((await h.balance(bob)).balance);

    const bought = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
    expect(bought.assignment).toMatchObject({ workId: work, assignorId: alice.partyId, assigneeId: buyer.partyId, shareBp: 2500 });
    expect(bought.settlement).toMatchObject({ price: '400000', fee: '10000', payouts: [{ partyId: alice.partyId, amount: '390000' }] });
    expect(verifyBundle(bought.ledger, vkey).ok).toBe(true);
    expect(decodeEntry(Buffer.from(bought.ledger.entry, 'base64'))).toMatchObject({
      kind: 'ownership.transferred',
      subject: { type: 'work', id: work },
      parties: [
        { role: 'assignor', id: alice.partyId, shareBp: 2500 },
        { role: 'assignee', id: buyer.partyId, shareBp: 2500 },
      ],
    });
    expect(BigInt((await h.balance(alice)).balance) - aliceBefore).toBe(390000n);
    expect(BigInt((await h.balance(bob)).balance)).toBe(bobBefore);

    const shown = (await h.registryGet(`/v1/works/${work}`).set('Authorization', `Bearer ${alice.key}`).expect(200)).body;
    expect(shown.owners).toEqual([
      { partyId: bob.partyId, shareBp: 4000 },
      ...[
        { partyId: alice.partyId, shareBp: 3500 },
        { partyId: buyer.partyId, shareBp: 2500 },
      ],
    ]);
    const history = (await h.registryGet(`/v1/works/${work}/history`).set('Authorization', `Bearer ${alice.key}`).expect(200)).body;
    expect(history.entries.map((e: { entry: { kind: string } }) => e.entry.kind)).toEqual(['work.registered', 'ownership.transferred']);
    // The certificate shows the owners after the transfer, and verifies them against the entries.
    const certificate = (await h.registryGet(`/v1/works/${work}/certificate`, alice).expect(200)).body;
    const verified = verifyCertificate(certificate, { verifierKey: vkey });
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verified.checks.find((c) => c.name === 'owners')?.detail).toMatch(/3 owner\(s\) with the shares registered and 1 transfer\(s\) applied/);

    expect((await h.get(`/v1/licences/${licence.id}`).expect(200)).body).toMatchObject({ id: licence.id, status: 'active' });
    expect((await h.get(`/v1/listings/${listing.id}`, alice).expect(200)).body.status).toBe('sold');
    expect((await h.post(`/v1/listings/${listing.id}/purchase`, await h.party()).expect(409)).body.error.code).toBe('LISTING_NOT_AVAILABLE');

    // The new co-owner has not consented to listings made before it held a share.
    const pending = (await h.post('/v1/listings', bob, { workId: work, kind: 'assignment', shareBp: 4000, price: '5' }).expect(201)).body;
    expect(pending.consents.map((c: { partyId: string }) => c.partyId)).toContain(buyer.partyId);
    expect((await h.reconcile()).ok).toBe(true);
  });

  it('moves the right to correct the registration with the shares: a registrant that sold the whole work can neither amend nor withdraw it', async () => {
    const work = await h.work([[alice, 10_000]]);
    await h.deposit(buyer, 1_000);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'assignment', shareBp: 10_000, price: '1000' }).expect(201)).body;
    await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201);
    const registry = (path: string, as: TestParty, body: object) => request(h.registry.getHttpServer()).post(path).set('Authorization', `Bearer ${as.key}`).send(body);

    const amend = await registry(`/v1/works/${work}/amendments`, alice, { reason: 'still mine?', changes: { title: 'Renamed by the seller' } }).expect(403);
    expect(amend.body.error.code).toBe('NOT_WORK_OWNER');
    const withdraw = await registry(`/v1/works/${work}/withdrawal`, alice, { reason: 'changed my mind' }).expect(403);
    expect(withdraw.body.error.code).toBe('NOT_WORK_OWNER');
    expect((await h.registryGet(`/v1/works/${work}`, buyer).expect(200)).body).toMatchObject({ status: 'registered', title: '富春山居图' });

    // The buyer, now holding the whole work, may do both.
    await registry(`/v1/works/${work}/amendments`, buyer, { reason: '题名更正', changes: { title: '富春山居图（无用师卷）' } }).expect(201);
    expect((await registry(`/v1/works/${work}/withdrawal`, buyer, { reason: '撤回登记' }).expect(201)).body.work.status).toBe('withdrawn');
  });

  it('settles a deal assigning a share to a party that already co-owns the work (it consents once)', async () => {
    const work = await h.work([
      [alice, 5000],
      [bob, 5000],
    ]);
    await h.deposit(bob, 2_000);
    const deal = (await h.post('/v1/deals', h.operator, { workId: work, kind: 'assignment', sellerId: alice.partyId, buyerId: bob.partyId, shareBp: 2000, price: '2000' }).expect(201)).body;
    expect(deal.consents.map((c: { partyId: string }) => c.partyId).sort()).toEqual([alice.partyId, bob.partyId].sort());
    await h.post(`/v1/listings/${deal.id}/consents`, alice).expect(200);
    expect((await h.post(`/v1/listings/${deal.id}/consents`, bob).expect(200)).body.status).toBe('active');
    const settled = (await h.post(`/v1/deals/${deal.id}/settlement`, h.operator).expect(201)).body;
    expect(settled.assignment).toMatchObject({ assignorId: alice.partyId, assigneeId: bob.partyId, shareBp: 2000 });
    const owners = (await h.registryGet(`/v1/works/${work}`, bob).expect(200)).body.owners;
    expect(owners).toEqual(expect.arrayContaining([{ partyId: alice.partyId, shareBp: 3000 }, { partyId: bob.partyId, shareBp: 7000 }]));
    expect((await h.reconcile()).ok).toBe(true);
  });

  /** Until some other session of this database waits for a lock (at most 5 s; the assertions then tell). */
  async function lockWaiterIn(client: pg.Client): Promise<void> {
    const deadline = Date.now() + 5_000;
    const waiting = async () =>
      (await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`)).rows[0].n > 0;
    while (!(await waiting()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /**
   * Runs `request` while another transaction, standing for an assignment being
   * settled, holds the work's row as an assignment does and changes its owners;
   * commits that transaction half a second later and returns what `request` got.
   */
  async function duringAssignment<T>(workId: string, changeOwners: string, params: unknown[], request: () => Promise<T>): Promise<T> {
    const assignment = new pg.Client({ connectionString: process.env.TEST_RUN_DATABASE_URL });
    await assignment.connect();
    try {
      await assignment.query('BEGIN');
      await assignment.query('SELECT 1 FROM works WHERE id = $1 FOR NO KEY UPDATE', [workId]);
      await assignment.query(changeOwners, params);
      const answer = request();
      await lockWaiterIn(assignment);
      await assignment.query('COMMIT');
      return await answer;
    } finally {
      await assignment.end();
    }
  }

  it('pays a licence bought while the work changes hands to the new owner, not to the one who just sold it', async () => {
    const seller = await h.party('Seller');
    const newOwner = await h.party('New owner');
    const licensee = await h.party('Licensee');
    const work = await h.work([[seller, 10_000]]);
    await h.deposit(licensee, 1_000);
    const listing = (await h.post('/v1/listings', seller, { workId: work, kind: 'licence', terms: licenceTerms(), price: '1000' }).expect(201)).body;

    const bought = await duringAssignment(work, 'UPDATE work_owners SET party_id = $2 WHERE work_id = $1', [work, newOwner.partyId], () =>
      h.post(`/v1/listings/${listing.id}/purchase`, licensee).then((r) => r),
    );
    expect(bought.status).toBe(201);
    expect(bought.body.licence.licensors).toEqual([{ partyId: newOwner.partyId, shareBp: 10_000 }]);
    expect(bought.body.settlement.payouts).toEqual([{ partyId: newOwner.partyId, amount: String(1000 - Number(bought.body.settlement.fee)) }]);
    expect((await h.balance(seller)).balance).toBe('0');
  });

  it('asks the consent of a co-owner brought in by an assignment settled while the listing was being created', async () => {
    const [a, newcomer] = await Promise.all([h.party('A'), h.party('Newcomer')]);
    const work = await h.work([[a, 10_000]]);
    const created = await duringAssignment(
      work,
      `WITH sold AS (UPDATE work_owners SET share_bp = 6000 WHERE work_id = $1 AND party_id = $2)
       INSERT INTO work_owners (work_id, party_id, share_bp) VALUES ($1, $3, 4000)`,
      [work, a.partyId, newcomer.partyId],
      () => h.post('/v1/listings', a, { workId: work, kind: 'licence', terms: licenceTerms({ exclusive: true }), price: '100' }).then((r) => r),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'awaiting_consent' });
    expect(created.body.consents.map((c: { partyId: string }) => c.partyId)).toContain(newcomer.partyId);
  });

  it('refuses an assignment settled while another one brought in a co-owner who has not consented to it', async () => {
    const [a, c, d, newcomer] = await Promise.all([h.party('A'), h.party('C'), h.party('D'), h.party('Newcomer')]);
    const work = await h.work([
      [a, 5000],
      [c, 5000],
    ]);
    await h.deposit(d, 500);
    const listing = (await h.post('/v1/listings', c, { workId: work, kind: 'assignment', shareBp: 5000, price: '500' }).expect(201)).body;
    await h.post(`/v1/listings/${listing.id}/consents`, a).expect(200);

    const bought = await duringAssignment(
      work,
      `WITH sold AS (UPDATE work_owners SET share_bp = 3000 WHERE work_id = $1 AND party_id = $2)
       INSERT INTO work_owners (work_id, party_id, share_bp) VALUES ($1, $3, 2000)`,
      [work, a.partyId, newcomer.partyId],
      () => h.post(`/v1/listings/${listing.id}/purchase`, d).then((r) => r),
    );
    expect(bought.status).toBe(409);
    expect(bought.body.error).toMatchObject({ code: 'OWNERS_CHANGED', details: { missingConsents: [newcomer.partyId] } });
    expect((await h.balance(d)).balance).toBe('500');
  });

  it('activates a listing when its last two consents arrive at the same moment', async () => {
    const carol = await h.party('Carol');
    const work = await h.work([
      [alice, 4000],
      [bob, 3000],
      [carol, 3000],
    ]);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms({ exclusive: true }), price: '100' }).expect(201)).body;
    expect(listing.status).toBe('awaiting_consent');

    // Bob's consent holds the listing's lock while Carol's arrives and waits for it.
    const bobsConsent = new pg.Client({ connectionString: process.env.TEST_RUN_DATABASE_URL });
    await bobsConsent.connect();
    try {
      await bobsConsent.query('BEGIN');
      await bobsConsent.query('SELECT 1 FROM listings WHERE id = $1 FOR UPDATE', [listing.id]);
      await bobsConsent.query('UPDATE listing_consents SET consented_at = now() WHERE listing_id = $1 AND party_id = $2', [listing.id, bob.partyId]);
      const carols = h.post(`/v1/listings/${listing.id}/consents`, carol).then((r) => r);
      await lockWaiterIn(bobsConsent);
      await bobsConsent.query('COMMIT');
      expect((await carols).status).toBe(200);
      expect((await carols).body.status).toBe('active');
    } finally {
      await bobsConsent.end();
    }
    expect((await h.get(`/v1/listings/${listing.id}`, alice).expect(200)).body.status).toBe('active');
  });

  it('settles a negotiated deal through the same path once every co-owner and the buyer consented', async () => {
    const work = await h.work([
      [alice, 5000],
      [bob, 5000],
    ]);
    const licensee = await h.party('Studio');
    await h.deposit(licensee, 300_000);
    const terms = licenceTerms({ exclusive: true, rights: ['filming', 'adaptation'], territories: ['WORLD'], media: ['cinema'] });
    const create = (body: object) => h.post('/v1/deals', h.operator, { workId: work, kind: 'licence', terms, price: '250000', buyerId: licensee.partyId, feeBp: 100, ...body });
    await h.post('/v1/deals', alice, { workId: work, kind: 'licence', terms, price: '1', buyerId: licensee.partyId }).expect(403);
    expect((await create({ buyerId: alice.partyId }).expect(422)).body.error.code).toBe('BUYER_IS_OWNER');
    const deal = (await create({}).expect(201)).body;
    expect(deal).toMatchObject({ origin: 'deal', status: 'awaiting_consent', reservedFor: licensee.partyId, feeBp: 100 });

    // Deals are not for sale to anyone else, nor listed publicly.
    expect((await h.post(`/v1/listings/${deal.id}/purchase`, licensee).expect(404)).body.error.code).toBe('LISTING_NOT_FOUND');
    await h.get(`/v1/listings/${deal.id}`, await h.party()).expect(404);
    expect((await h.post(`/v1/deals/${deal.id}/settlement`, h.operator).expect(409)).body.error.code).toBe('CONSENT_REQUIRED');

    await h.post(`/v1/listings/${deal.id}/consents`, alice).expect(200);
    await h.post(`/v1/listings/${deal.id}/consents`, bob).expect(200);
    const consented = (await h.post(`/v1/listings/${deal.id}/consents`, licensee).expect(200)).body;
    expect(consented.status).toBe('active');

    const settled = (await h.post(`/v1/deals/${deal.id}/settlement`, h.operator).expect(201)).body;
    expect(settled.settlement).toMatchObject({ price: '250000', fee: '2500', feeBp: 100, buyerId: licensee.partyId, settledBy: h.operator.partyId });
    expect(settled.licence).toMatchObject({ licenseeId: licensee.partyId, exclusive: true });
    expect(await h.balance(licensee)).toMatchObject({ balance: '50000' });
    expect((await h.get(`/v1/licences/verify?work=${work}&licensee=${licensee.partyId}&right=filming&territory=FR&media=cinema&at=2026-03-01`).expect(200)).body.licensed).toBe(true);
    expect((await h.reconcile()).ok).toBe(true);
  });

  it('lets the creator withdraw a listing, after which it cannot be bought', async () => {
    const work = await h.work([[alice, 10000]]);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: '10' }).expect(201)).body;
    await h.post(`/v1/listings/${listing.id}/withdrawal`, bob).expect(403);
    expect((await h.post(`/v1/listings/${listing.id}/withdrawal`, alice).expect(200)).body.status).toBe('withdrawn');
    expect((await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(409)).body.error.code).toBe('LISTING_NOT_AVAILABLE');
    const list = (await h.get(`/v1/listings?work=${work}`, buyer).expect(200)).body;
    expect(list.items.map((l: { id: string; status: string }) => [l.id, l.status])).toEqual([[listing.id, 'withdrawn']]);
  });
});
