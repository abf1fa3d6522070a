import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { decodeEntry } from '#ledger';
import { issueKey, startRegistry, type TestParty } from './support/test-app.js';
import { randomHash, sha256Hex, verifyBundle } from './support/proofs.js';

const work = (overrides: Record<string, unknown> = {}) => ({
  sha256: randomHash(),
  title: '春江花月夜',
  type: 'text',
  authors: [{ name: '张若虚', role: 'author' }],
  ...overrides,
});

describe('registration', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let alice: TestParty;
  let bob: TestParty;
  let vkey: string;

  beforeAll(async () => {
    app = await startRegistry({ MAX_UPLOAD_BYTES: '1M' });
    http = app.getHttpServer();
    alice = await issueKey(app, 'creator', 'Alice');
    bob = await issueKey(app, 'creator', 'Bob');
    vkey = (await request(http).get('/v1/ledger/key').expect(200)).text.trim();
  });
  afterAll(() => app.close());

  const post = (party: TestParty) => request(http).post('/v1/works').set('Authorization', `Bearer ${party.key}`);

  it('orders ledger entries as registrations are written, across processes', async () => {
    // A second registry process on the same database; each used to draw entry ids in blocks of its own.
    const other = await startRegistry();
    try {
      const order: string[] = [];
      for (const via of [app, other, app, other]) {
        const response = await request(via.getHttpServer())
          .post('/v1/works')
          .set('Authorization', `Bearer ${alice.key}`)
          .send({ sha256: randomHash(), title: 'In order', type: 'text', authors: [{ name: 'A' }] })
          .expect(201);
        order.push(response.body.id);
      }
      const rows: Array<{ id: string; entry_id: string; idx: string }> = await app
        .get(DataSource)
        .query('SELECT w.id, w.entry_id, e.idx FROM works w JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = ANY($1::uuid[])', [order]);
      const byWork = new Map(rows.map((r) => [r.id, r]));
      const entryIds = order.map((id) => Number(byWork.get(id)!.entry_id));
      const indexes = order.map((id) => Number(byWork.get(id)!.idx));
      expect(entryIds).toEqual([...entryIds].sort((a, b) => a - b));
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    } finally {
      await other.close();
    }
  });

  it('registers by hash and answers 201 with a proof that verifies against the signed checkpoint', async () => {
    const body = work();
    const response = await post(alice).send(body).expect(201);
    expect(response.headers.location).toBe(`/v1/works/${response.body.id}`);
    expect(response.body).toMatchObject({ sha256: body.sha256, title: body.title, proofStatus: 'integrated', registrantId: alice.partyId });
    expect(response.body.owners).toEqual([{ partyId: alice.partyId, shareBp: 10000 }]);
    expect(response.body.registrationNumber).toMatch(/^CR-\d{4}-\d{8}$/);
    expect(Number.isInteger(response.body.ledgerIndex)).toBe(true);
    expect(verifyBundle(response.body, vkey).ok).toBe(true);

    const entry = decodeEntry(Buffer.from(response.body.entry, 'base64'));
    expect(entry).toMatchObject({ v: 1, kind: 'work.registered', subject: { type: 'work', id: response.body.id }, workSha256: body.sha256 });
  });

  it('registers an upload by streaming it into the content store, hashing what was received', async () => {
    const content = Buffer.from('月落乌啼霜满天，江枫渔火对愁眠。' + Math.random());
    const response = await post(alice)
      .field('metadata', JSON.stringify({ title: '枫桥夜泊', type: 'text', authors: [{ name: '张继' }] }))
      .attach('file', content, { filename: '../../etc/passwd', contentType: 'text/plain' })
      .expect(201);
    expect(response.body.sha256).toBe(sha256Hex(content));
    expect(response.body.content).toEqual({ stored: true, sizeBytes: content.length, mediaType: 'text/plain' });
    expect(verifyBundle(response.body, vkey).ok).toBe(true);
  });

  it('accepts individual form fields and refuses an upload whose hash differs from the declared one', async () => {
    const content = Buffer.from('fields ' + Math.random());
    await post(alice)
      .field('title', 'Fields')
      .field('type', 'other')
      .field('authors', JSON.stringify([{ name: 'A' }]))
      .attach('file', content, 'a.bin')
      .expect(201);
    const refused = await post(alice)
      .field('title', 'Mismatch')
      .field('type', 'other')
      .field('authors', JSON.stringify([{ name: 'A' }]))
      .field('sha256', randomHash())
      .attach('file', Buffer.from('other ' + Math.random()), 'b.bin')
      .expect(400);
    expect(refused.body.error.code).toBe('INVALID_HASH');
  });

  it('returns the existing registration (200) when the same registrant registers the same content again', async () => {
    const body = work();
    const first = await post(alice).send(body).expect(201);
    const again = await post(alice).send({ ...body, title: 'another title' }).expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.ledgerIndex).toBe(first.body.ledgerIndex);
    const history = await request(http).get(`/v1/works/${first.body.id}/history`).set('Authorization', `Bearer ${alice.key}`).expect(200);
    expect(history.body.entries).toHaveLength(1);
  });

  it('records content another party registered earlier and names the earlier registration', async () => {
    const body = work();
    const original = await post(alice).send(body).expect(201);
    const copy = await post(bob).send({ ...body, title: 'Mine, honestly' }).expect(201);
    expect(copy.body.id).not.toBe(original.body.id);
    expect(copy.body.priority).toMatchObject({
      workId: original.body.id,
      registrationNumber: original.body.registrationNumber,
      registrantId: alice.partyId,
      ledgerIndex: original.body.ledgerIndex,
    });
    expect(decodeEntry(Buffer.from(copy.body.entry, 'base64')).refs).toMatchObject({ priorWork: original.body.id });
    expect(original.body.priority).toBeNull();
  });

  it('records co-owners with shares that sum to 10,000 and refuses shares that do not', async () => {
    const owners = [
      { partyId: alice.partyId, shareBp: 6000 },
      { partyId: bob.partyId, shareBp: 4000 },
    ];
    const ok = await post(alice).send(work({ owners })).expect(201);
    expect(ok.body.owners).toEqual(owners);
    const entry = decodeEntry(Buffer.from(ok.body.entry, 'base64'));
    expect(entry.parties).toEqual(expect.arrayContaining([{ role: 'owner', id: bob.partyId, shareBp: 4000 }]));

    const bad = await post(alice).send(work({ owners: [{ partyId: alice.partyId, shareBp: 6000 }, { partyId: bob.partyId, shareBp: 3000 }] })).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_SHARES', details: { total: 9000 } });
    const unknown = await post(alice).send(work({ owners: [{ partyId: '00000000-0000-4000-8000-000000000000', shareBp: 10000 }] })).expect(422);
    expect(unknown.body.error.code).toBe('PARTY_NOT_FOUND');
  });

  it.each([
    ['a missing title', { title: undefined }, 'title'],
    ['a bad hash', { sha256: 'xyz' }, 'sha256'],
    ['an unknown type', { type: 'poem' }, 'type'],
    ['no authors', { authors: [] }, 'authors'],
    ['an impossible date', { completedOn: '2026-02-30' }, 'completedOn'],
    ['an unknown field', { price: 5 }, 'price'],
  ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_, change, field) => {
    const response = await post(alice).send(work(change)).expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses an oversized upload with 413 UPLOAD_TOO_LARGE and stores nothing', async () => {
    const before = await request(http).get('/v1/works').query({ q: 'Too big' }).set('Authorization', `Bearer ${alice.key}`).expect(200);
    const response = await post(alice)
      .field('metadata', JSON.stringify({ title: 'Too big', type: 'other', authors: [{ name: 'A' }] }))
      .attach('file', Buffer.alloc(1024 * 1024 + 10, 7), 'big.bin')
      .expect(413);
    expect(response.body.error.code).toBe('UPLOAD_TOO_LARGE');
    const after = await request(http).get('/v1/works').query({ q: 'Too big' }).set('Authorization', `Bearer ${alice.key}`).expect(200);
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('refuses malformed JSON, other media types and a form without a file', async () => {
    const json = await post(alice).set('Content-Type', 'application/json').send('{"title":').expect(400);
    expect(json.body.error.code).toBe('INVALID_JSON');
    const text = await post(alice).set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const noFile = await post(alice).field('title', 'x').expect(400);
    expect(noFile.body.error.code).toBe('UPLOAD_MISSING_FILE');
  });

  it('finds works by hash, owner, title text, type and date, newest first, across pages', async () => {
    const tag = `Series-${Math.random().toString(36).slice(2, 8)}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await post(bob).send(work({ title: `${tag} #${i}`, type: 'image' })).expect(201)).body);
    const get = (query: Record<string, string | number>) => request(http).get('/v1/works').query(query).set('Authorization', `Bearer ${alice.key}`).expect(200);

    const page1 = await get({ q: tag, limit: 2 });
    const page2 = await get({ q: tag, limit: 2, cursor: page1.body.nextCursor });
    const page3 = await get({ q: tag, limit: 2, cursor: page2.body.nextCursor });
    const titles = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((w: { title: string }) => w.title);
    expect(titles).toEqual([4, 3, 2, 1, 0].map((i) => `${tag} #${i}`));
    expect(page3.body.nextCursor).toBeNull();

    expect((await get({ sha256: created[2].sha256 })).body.items.map((w: { id: string }) => w.id)).toEqual([created[2].id]);
    expect((await get({ owner: bob.partyId, q: tag })).body.items).toHaveLength(5);
    expect((await get({ owner: alice.partyId, q: tag })).body.items).toHaveLength(0);
    expect((await get({ q: tag, type: 'text' })).body.items).toHaveLength(0);
    expect((await get({ q: tag, from: created[3].registeredAt })).body.items).toHaveLength(2);
    expect((await get({ q: tag, to: created[1].registeredAt })).body.items).toHaveLength(1);
    const badCursor = await request(http).get('/v1/works').query({ cursor: 'nonsense' }).set('Authorization', `Bearer ${alice.key}`).expect(400);
    expect(badCursor.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 404 WORK_NOT_FOUND for an unknown work and 400 for a malformed id', async () => {
    const missing = await request(http).get('/v1/works/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${alice.key}`).expect(404);
    expect(missing.body.error.code).toBe('WORK_NOT_FOUND');
    await request(http).get('/v1/works/not-a-uuid').set('Authorization', `Bearer ${alice.key}`).expect(400);
  });

  it('integrates concurrent registrations in batches, each with its own index and a valid proof', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => post(alice).send(work())));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(201));
    const indexes = responses.map((r) => r.body.ledgerIndex);
    expect(new Set(indexes).size).toBe(40);
    for (const r of responses) expect(verifyBundle(r.body, vkey).ok).toBe(true);
  });

  it('keeps each registration its own when concurrent ones share statements: data, owners, duplicates, priority, time-stamp', async () => {
    const earlier = (await post(alice).send(work()).expect(201)).body;
    const twice = work({ title: 'Sent twice at once' });
    const coOwned = [
      { partyId: alice.partyId, shareBp: 2500 },
      { partyId: bob.partyId, shareBp: 7500 },
    ];
    const requests = [
      ...Array.from({ length: 12 }, (_, i) => ({ as: alice, body: work({ title: `Batch ${i}`, description: `number ${i}` }) })),
      ...Array.from({ length: 6 }, (_, i) => ({ as: bob, body: work({ title: `Shared ${i}`, owners: coOwned }) })),
      { as: alice, body: twice },
      { as: alice, body: twice },
      { as: bob, body: work({ sha256: earlier.sha256, title: 'Copy of an earlier work' }) },
    ];
    const responses = await Promise.all(requests.map(({ as, body }) => post(as).send(body)));

    responses.slice(0, 18).forEach((r, i) => {
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ title: requests[i]!.body.title, sha256: requests[i]!.body.sha256 });
      expect(decodeEntry(Buffer.from(r.body.entry, 'base64')).subject.id).toBe(r.body.id);
      expect(verifyBundle(r.body, vkey).ok).toBe(true);
    });
    for (const r of responses.slice(12, 18)) expect(r.body.owners).toEqual([coOwned[1], coOwned[0]]); // largest share first
    expect(responses[0]!.body.description).toBe('number 0');

    const [first, second] = [responses[18]!, responses[19]!];
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.ledgerIndex).toBe(first.body.ledgerIndex);

    const copy = responses[20]!;
    expect(copy.status).toBe(201);
    expect(copy.body.priority).toMatchObject({ workId: earlier.id, registrantId: alice.partyId });

    const registrantOf = new Map(responses.map((r, i) => [r.body.id as string, requests[i]!.as]));
    expect(registrantOf.size).toBe(20);
    for (const [id, as] of registrantOf) {
      await request(http).get(`/v1/works/${id}/timestamp`).set('Authorization', `Bearer ${as.key}`).expect(200).expect('content-type', /timestamp-reply/);
      const history = await request(http).get(`/v1/works/${id}/history`).set('Authorization', `Bearer ${as.key}`).expect(200);
      expect(history.body.entries).toHaveLength(1);
    }
  });
});
