// The exchange's side of infringement: a suspect party holding a licence that
// covers the use gets a `licensed` report, not an infringement; a work under
// an open authorship dispute cannot be listed until an officer resolves it,
// and both events are on the ledger and in the work's certificate.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import request from 'supertest';
import { QueueName } from '#queue';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import { issueKey, testConfig, type TestParty } from '../support/test-app.js';
import { waitFor } from './scan-harness.js';
import { ESSAY } from './texts.js';

const run = promisify(execFile);

function terms() {
  const start = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  return { rights: ['information_network_dissemination'], exclusive: false, territories: ['CN'], media: ['online'], period: { start, end }, sublicensable: false };
}

describe('licences and authorship disputes', () => {
  let h: ExchangeHarness;
  let worker: INestApplicationContext;
  const prefix = `{scan-licence-${process.pid}-${Date.now()}}`;
  let alice: TestParty;
  let buyer: TestParty;
  let officer: TestParty;
  let workId: string;
  const registry = () => h.registry.getHttpServer();
  /** Registers `text` as an uploaded text work of `party`; its id. */
  const uploadEssay = async (party: TestParty, title: string, text: string): Promise<string> =>
    (
      await request(registry())
        .post('/v1/works')
        .set('Authorization', `Bearer ${party.key}`)
        .field('metadata', JSON.stringify({ title, type: 'text', authors: [{ name: 'Author' }] }))
        .attach('file', Buffer.from(text), 'essay.txt')
        .expect(201)
    ).body.id;

  beforeAll(async () => {
    h = await startExchangeHarness({ QUEUE_PREFIX: prefix });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig({ QUEUE_PREFIX: prefix })), { logger: ['error'] });
    await worker.init();
    alice = await h.party('Alice Licensor');
    buyer = await h.party('Licensed Platform');
    officer = await issueKey(h.registry, 'officer', 'Officer Li');
    workId = await uploadEssay(alice, 'The Lighthouse Ledger (licensed)', `${ESSAY}\n\nLicensed edition ${Math.random()}`);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await h?.close();
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: { url: process.env.TEST_RUN_REDIS_URL }, prefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  }, 30_000);

  it('marks a copy published by a party with a covering licence as licensed, and one by anyone else as open', async () => {
    await h.deposit(buyer, 1_000_000);
    const listing = (await h.post('/v1/listings', alice, { workId, kind: 'licence', terms: terms(), price: '5000' }).expect(201)).body;
    await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201);
    const sight = async (suspectPartyId?: string) =>
      (
        await request(registry())
          .post('/v1/sightings')
          .set('Authorization', `Bearer ${officer.key}`)
          .send({ text: ESSAY, sourceUrl: `https://platform.example/item/${Math.random()}`, platform: 'Platform', seenAt: new Date().toISOString(), ...(suspectPartyId ? { suspectPartyId } : {}) })
          .expect(202)
      ).body.id as string;
    const licensed = await sight(buyer.partyId);
    const unlicensed = await sight();
    const reportOf = (sightingId: string) =>
      waitFor(`report for ${sightingId}`, async () => {
        const items = (await request(registry()).get(`/v1/reports?work=${workId}`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body.items;
        return items.find((r: { suspect: { sightingId?: string } }) => r.suspect.sightingId === sightingId);
      });
    const a = await reportOf(licensed);
    expect(a).toMatchObject({ status: 'licensed', licence: { status: 'licensed', licenceId: expect.any(String) } });
    const detail = (await request(registry()).get(`/v1/reports/${a.id}`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body;
    expect(detail.history[0].note).toMatch(/holds licence .* marked licensed, not infringing/);
    const b = await reportOf(unlicensed);
    expect(b).toMatchObject({ status: 'open', licence: { status: 'unknown_party' } });
    // No takedown notice for a licensed copy.
    const pkg = (await request(registry()).get(`/v1/reports/${a.id}/evidence`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body;
    expect(pkg.takedownNotice).toBeNull();
  }, 60_000);

  it("shows a work's reports to whoever holds it now: not to a registrant that sold it whole, but to its buyer", async () => {
    const [seller, heir] = await Promise.all([h.party('Seller'), h.party('Heir')]);
    const text = `${ESSAY}\n\nSold edition ${Math.random()}`;
    const sold = await uploadEssay(seller, 'The Lighthouse Ledger (sold)', text);
    const sightingId = (
      await request(registry())
        .post('/v1/sightings')
        .set('Authorization', `Bearer ${officer.key}`)
        .send({ text, sourceUrl: `https://mirror.example/${Math.random()}`, platform: 'Mirror', seenAt: new Date().toISOString() })
        .expect(202)
    ).body.id as string;
    const report = await waitFor('the report on the sold work', async () => {
      const items = (await request(registry()).get(`/v1/reports?work=${sold}`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body.items;
      return items.find((r: { suspect: { sightingId?: string } }) => r.suspect.sightingId === sightingId);
    });
    const sees = async (party: TestParty) => {
      const one = await request(registry()).get(`/v1/reports/${report.id}`).set('Authorization', `Bearer ${party.key}`);
      const list = (await request(registry()).get('/v1/reports').set('Authorization', `Bearer ${party.key}`).expect(200)).body.items as Array<{ id: string }>;
      return { status: one.status, listed: list.some((r) => r.id === report.id) };
    };
    expect(await sees(seller)).toEqual({ status: 200, listed: true });
    expect(await sees(heir)).toEqual({ status: 404, listed: false });

    await h.deposit(heir, 1_000);
    const listing = (await h.post('/v1/listings', seller, { workId: sold, kind: 'assignment', shareBp: 10_000, price: '1000' }).expect(201)).body;
    await h.post(`/v1/listings/${listing.id}/purchase`, heir).expect(201);
    expect(await sees(seller)).toEqual({ status: 404, listed: false });
    expect(await sees(heir)).toEqual({ status: 200, listed: true });
  }, 60_000);

  it('refuses to list a work under an open authorship dispute until an officer resolves it', async () => {
    const claimant = await h.party('Claimant Chen');
    const own = await request(registry()).post(`/v1/works/${workId}/disputes`).set('Authorization', `Bearer ${alice.key}`).send({ grounds: 'I am the author, of course.' }).expect(422);
    expect(own.body.error.code).toBe('OWN_WORK_DISPUTE');
    const dispute = (
      await request(registry())
        .post(`/v1/works/${workId}/disputes`)
        .set('Authorization', `Bearer ${claimant.key}`)
        .send({ grounds: 'I wrote this essay in 2019; drafts and emails attached to my complaint.', claimedAuthors: [{ name: 'Chen' }] })
        .expect(201)
    ).body;
    expect(dispute).toMatchObject({ status: 'open', openingProof: { ledgerIndex: expect.any(Number) } });
    expect(JSON.parse(Buffer.from(dispute.openingProof.entry, 'base64').toString())).toMatchObject({ kind: 'work.disputed', subject: { id: workId }, parties: [{ role: 'claimant', id: claimant.partyId }] });
    await request(registry()).post(`/v1/works/${workId}/disputes`).set('Authorization', `Bearer ${claimant.key}`).send({ grounds: 'Again, the same claim here.' }).expect(409);

    const refused = await h.post('/v1/listings', alice, { workId, kind: 'licence', terms: terms(), price: '7000' }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'WORK_NOT_LISTABLE', details: { reason: 'disputed' } });

    await request(registry()).post(`/v1/disputes/${dispute.id}/resolution`).set('Authorization', `Bearer ${alice.key}`).send({ outcome: 'rejected', reason: 'no' }).expect(403);
    const resolved = (
      await request(registry()).post(`/v1/disputes/${dispute.id}/resolution`).set('Authorization', `Bearer ${officer.key}`).send({ outcome: 'rejected', reason: 'The drafts postdate the registration.' }).expect(200)
    ).body;
    expect(resolved).toMatchObject({ status: 'rejected', resolution: { outcome: 'rejected', by: officer.partyId, proof: { ledgerIndex: expect.any(Number) } } });
    await request(registry()).post(`/v1/disputes/${dispute.id}/resolution`).set('Authorization', `Bearer ${officer.key}`).send({ outcome: 'upheld', reason: 'again' }).expect(409);
    await h.post('/v1/listings', alice, { workId, kind: 'licence', terms: terms(), price: '7000' }).expect(201);

    // The certificate carries both entries with the metadata they commit to, and still verifies offline.
    const certificate = (await request(registry()).get(`/v1/works/${workId}/certificate`).set('Authorization', `Bearer ${alice.key}`).expect(200)).body;
    expect(certificate.entries.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['work.disputed', 'work.dispute-resolved']));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispute-'));
    fs.writeFileSync(path.join(dir, 'cert.json'), JSON.stringify(certificate));
    fs.writeFileSync(path.join(dir, 'vkey'), (await request(registry()).get('/v1/ledger/key').expect(200)).text.trim());
    const out = await run(process.execPath, ['dist/apps/cli/src/verify.js', path.join(dir, 'cert.json'), '--key', path.join(dir, 'vkey')]);
    expect(out.stdout).toContain('VERIFIED');
    const listed = (await request(registry()).get(`/v1/disputes?work=${workId}`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body.items;
    expect(listed.map((d: { id: string }) => d.id)).toEqual([dispute.id]);
  }, 60_000);
});
