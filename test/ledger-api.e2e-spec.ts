import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { leafHash, openCheckpoint, verifyConsistency, verifyInclusion } from '#ledger';
import { issueKey, startRegistry } from './support/test-app.js';
import { randomHash } from './support/proofs.js';

describe('public ledger API', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let vkey: string;

  beforeAll(async () => {
    app = await startRegistry();
    http = app.getHttpServer();
    const creator = await issueKey(app, 'creator');
    vkey = (await request(http).get('/v1/ledger/key').expect(200)).text;
    for (let i = 0; i < 7; i++) {
      await request(http)
        .post('/v1/works')
        .set('Authorization', `Bearer ${creator.key}`)
        .send({ sha256: randomHash(), title: `Ledger ${i}`, type: 'other', authors: [{ name: 'L' }] })
        .expect(201);
    }
  });
  afterAll(() => app.close());

  const checkpoint = async () => {
    const response = await request(http).get('/v1/ledger/checkpoint').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return { text: response.text, ...openCheckpoint(response.text, vkey) };
  };

  it('publishes a C2SP verifier key and a signed checkpoint note', async () => {
    expect(vkey).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const [, name, keyId, key] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey)!;
    expect(name.length).toBeGreaterThan(0);
    expect(keyId).toHaveLength(8);
    expect(Buffer.from(key, 'base64')).toHaveLength(33);
    expect(Buffer.from(key, 'base64')[0]).toBe(1);
    const cp = await checkpoint();
    const lines = cp.text.split('\n');
    expect(lines[1]).toBe(String(cp.size));
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^\u2014 \S+ [A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(lines[4].split(' ')[2], 'base64')).toHaveLength(68);
  });

  it('serves entries and inclusion proofs that verify against the checkpoint root for every index', async () => {
    const cp = await checkpoint();
    const { body } = await request(http).get('/v1/ledger/entries').query({ start: 0, end: cp.size }).expect(200);
    expect(body.entries).toHaveLength(cp.size);
    for (const entry of body.entries) {
      const proof = await request(http).get('/v1/ledger/proof/inclusion').query({ index: entry.index, treeSize: cp.size }).expect(200);
      expect(proof.body).toMatchObject({ index: entry.index, treeSize: cp.size });
      const hashes = proof.body.hashes.map((h: string) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(leafHash(Buffer.from(entry.data, 'base64')), entry.index, cp.size, hashes, cp.rootHash)).toBe(true);
      const altered = Buffer.from(entry.data, 'base64');
      altered[altered.length - 2] ^= 1;
      expect(verifyInclusion(leafHash(altered), entry.index, cp.size, hashes, cp.rootHash)).toBe(false);
    }
  });

  it('serves consistency proofs between any two signed sizes', async () => {
    const cp = await checkpoint();
    const { body } = await request(http).get('/v1/ledger/entries').query({ start: 0, end: cp.size }).expect(200);
    const leaves = body.entries.map((e: { data: string }) => leafHash(Buffer.from(e.data, 'base64')));
    const { merkleTreeHash } = await import('#ledger');
    for (let from = 1; from < cp.size; from++) {
      const proof = await request(http).get('/v1/ledger/proof/consistency').query({ from, to: cp.size }).expect(200);
      const hashes = proof.body.hashes.map((h: string) => Buffer.from(h, 'base64'));
      expect(verifyConsistency(from, cp.size, hashes, merkleTreeHash(leaves.slice(0, from)), cp.rootHash)).toBe(true);
    }
  });

  it.each([
    ['/v1/ledger/entries', { start: 5, end: 5 }],
    ['/v1/ledger/entries', { start: 0, end: 1001 }],
    ['/v1/ledger/entries', { start: 'a', end: 2 }],
    ['/v1/ledger/entries', { start: -1, end: 2 }],
    ['/v1/ledger/entries', { start: 0, end: 1e9 }],
    ['/v1/ledger/entries', {}],
    ['/v1/ledger/proof/inclusion', { index: 3, treeSize: 3 }],
    ['/v1/ledger/proof/inclusion', { index: 0, treeSize: 1e12 }],
    ['/v1/ledger/proof/inclusion', { index: '1.5', treeSize: 3 }],
    ['/v1/ledger/proof/consistency', { from: 3, to: 2 }],
    ['/v1/ledger/proof/consistency', { from: 1, to: 1e12 }],
    ['/v1/ledger/proof/consistency', { from: '', to: 2 }],
  ])('answers 400 INVALID_RANGE for %s %j', async (path, query) => {
    const response = await request(http).get(path).query(query).expect(400);
    expect(response.body.error.code).toBe('INVALID_RANGE');
    expect(response.body.error.message.length).toBeGreaterThan(10);
  });

  it('serves OpenAPI at /docs', async () => {
    const spec = await request(http).get('/docs/openapi.json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/v1/works', '/v1/ledger/checkpoint', '/v1/ledger/proof/inclusion']));
  });
});
