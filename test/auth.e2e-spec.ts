import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { ApiKeyEntity } from '#persistence';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ADMIN_KEY, issueKey, startRegistry } from './support/test-app.js';
import { randomHash } from './support/proofs.js';

describe('API keys and roles', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    app = await startRegistry();
    http = app.getHttpServer();
  });
  afterAll(() => app.close());

  const registration = () => ({ sha256: randomHash(), title: 'Keyed', type: 'other', authors: [{ name: 'K' }] });

  it('issues a key once, for a new party, and never stores or shows it again', async () => {
    const response = await request(http)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ role: 'creator', party: { name: '王五', contact: 'wang@example.com' } })
      .expect(201);
    expect(response.body.key).toMatch(/^crk_[A-Za-z0-9_-]{43}$/);
    expect(response.body.partyId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await app.get(DataSource).query('SELECT key_hash, key_prefix FROM api_keys WHERE id = $1', [response.body.keyId]);
    expect(stored[0].key_hash.toString('hex')).not.toContain(Buffer.from(response.body.key).toString('hex'));
    expect(response.body.key.startsWith(stored[0].key_prefix)).toBe(true);
  });

  it('looks a key up in the database only if it could be one of ours, and an unknown one only once a while', async () => {
    const lookups = jest.spyOn(app.get(DataSource), 'getRepository');
    try {
      const unknownKey = `crk_${randomBytes(32).toString('base64url')}`;
      for (const key of ['crk_made_up', 'x'.repeat(47), `crk_${'!'.repeat(43)}`, unknownKey, unknownKey, unknownKey]) {
        expect((await request(http).get('/v1/works').set('Authorization', `Bearer ${key}`)).status).toBe(401);
      }
      expect(lookups).toHaveBeenCalledTimes(1);
      const creator = await issueKey(app, 'creator');
      lookups.mockClear();
      for (let i = 0; i < 3; i++) await request(http).get('/v1/works').set('Authorization', `Bearer ${creator.key}`).expect(200);
      expect(lookups.mock.calls.filter(([entity]) => entity === ApiKeyEntity)).toHaveLength(1);
    } finally {
      lookups.mockRestore();
    }
  });

  it('answers 401 without a key, with a malformed header, or with an unknown key', async () => {
    for (const header of [undefined, 'Basic abc', 'Bearer crk_unknown']) {
      const req = request(http).post('/v1/works').send(registration());
      if (header) req.set('Authorization', header);
      const response = await req.expect(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets only creators register, and only admins issue keys', async () => {
    const officer = await issueKey(app, 'officer');
    const exchange = await issueKey(app, 'exchange');
    const creator = await issueKey(app, 'creator');
    for (const key of [officer.key, exchange.key]) {
      const response = await request(http).post('/v1/works').set('Authorization', `Bearer ${key}`).send(registration()).expect(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
    await request(http).post('/v1/works').set('Authorization', `Bearer ${creator.key}`).send(registration()).expect(201);
    const denied = await request(http)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${creator.key}`)
      .send({ role: 'admin', party: { name: 'Me', contact: 'me@example.com' } })
      .expect(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
  });

  it('revokes a key so that it stops working at once', async () => {
    const response = await request(http)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ role: 'creator', party: { name: 'Short-lived', contact: 'x@example.com' } })
      .expect(201);
    await request(http).get('/v1/works').set('Authorization', `Bearer ${response.body.key}`).expect(200);
    await request(http).delete(`/v1/admin/api-keys/${response.body.keyId}`).set('Authorization', `Bearer ${ADMIN_KEY}`).expect(204);
    await request(http).get('/v1/works').set('Authorization', `Bearer ${response.body.key}`).expect(401);
    const again = await request(http).delete(`/v1/admin/api-keys/${response.body.keyId}`).set('Authorization', `Bearer ${ADMIN_KEY}`).expect(404);
    expect(again.body.error.code).toBe('API_KEY_NOT_FOUND');
  });

  it('issues a second key for an existing party, and refuses an ambiguous or unknown party', async () => {
    const first = await issueKey(app, 'creator');
    const second = await request(http).post('/v1/admin/api-keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ role: 'creator', partyId: first.partyId }).expect(201);
    expect(second.body.partyId).toBe(first.partyId);
    const both = await request(http)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ role: 'creator', partyId: first.partyId, party: { name: 'x', contact: 'y' } })
      .expect(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    const unknown = await request(http)
      .post('/v1/admin/api-keys')
      .set('Authorization', `Bearer ${ADMIN_KEY}`)
      .send({ role: 'creator', partyId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(unknown.body.error.code).toBe('PARTY_NOT_FOUND');
    const badRole = await request(http).post('/v1/admin/api-keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ role: 'root', party: { name: 'x', contact: 'y' } }).expect(400);
    expect(badRole.body.error.details.fields[0].field).toBe('role');
  });

  it('serves the public ledger API and health without a key, and sets security headers', async () => {
    const response = await request(http).get('/v1/ledger/key').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    await request(http).get('/health').expect(200);
  });
});
