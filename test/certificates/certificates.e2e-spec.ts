// Certificates end to end on a real registry: the time-stamp checked by the
// real openssl, the JSON certificate checked by the project's verify command
// (offline and against the live log), the PDF's embedded Chinese font,
// amendments and withdrawals.
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import request from 'supertest';
import { verifyCertificate, type CertificateDocument } from '#certificate';
import { decodeEntry } from '#ledger';
import { fontNames, toUnicodeEntries } from '../support/pdf-inspect.js';
import { sha256Hex } from '../support/proofs.js';
import { issueKey, startRegistry, type TestParty } from '../support/test-app.js';

// Each test runs openssl or the verify command several times: allow for a slow CI machine.
jest.setTimeout(60_000);
const run = promisify(execFile);
const OPENSSL = '/usr/bin/openssl';
const VERIFY_CLI = path.resolve('dist/apps/cli/src/verify.js');

async function exec(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('certificates, time-stamps and corrections', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let baseUrl: string;
  let alice: TestParty;
  let bob: TestParty;
  let officer: TestParty;
  let vkey: string;
  let dir: string;
  let caPem: string;
  let tsaPem: string;
  const content = Buffer.from(`春江潮水连海平，海上明月共潮生。${Math.random()}`);
  let work: { id: string; registrationNumber: string; entry: string; ledgerIndex: number };

  const as = (party: TestParty) => ({
    get: (url: string) => request(http).get(url).set('Authorization', `Bearer ${party.key}`),
    post: (url: string) => request(http).post(url).set('Authorization', `Bearer ${party.key}`),
  });
  const file = (name: string, data: string | Buffer) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, data);
    return target;
  };
  const certificateOf = async (id: string, party = alice) => (await as(party).get(`/v1/works/${id}/certificate`).expect(200)).body as CertificateDocument;

  beforeAll(async () => {
    app = await startRegistry();
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
    http = app.getHttpServer();
    alice = await issueKey(app, 'creator', '张三');
    bob = await issueKey(app, 'creator', 'Bob');
    officer = await issueKey(app, 'officer', 'Officer');
    vkey = (await request(http).get('/v1/ledger/key').expect(200)).text.trim();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificates-e2e-'));
    caPem = (await request(http).get('/v1/tsa/certs/ca.pem').expect(200)).text;
    tsaPem = (await request(http).get('/v1/tsa/certs/tsa.pem').expect(200)).text;
    file('ca.pem', caPem);
    file('tsa.pem', tsaPem);
    file('vkey', `${vkey}\n`);
    file('work.txt', content);
    file('other.txt', 'not the registered work');

    const registered = await as(alice)
      .post('/v1/works')
      .field('metadata', JSON.stringify({ title: '《春江花月夜》', type: 'text', authors: [{ name: '张若虚', role: 'author' }], completedOn: '2026-04-30' }))
      .attach('file', content, { filename: 'poem.txt', contentType: 'text/plain' })
      .expect(201);
    work = registered.body;
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the time-stamp authority', () => {
    it('publishes its CA and TSA certificates, the TSA one with the critical timeStamping purpose', async () => {
      const both = await request(http).get('/v1/tsa/certs').expect(200);
      expect(both.text).toBe(caPem + tsaPem);
      const text = await exec(OPENSSL, ['x509', '-in', path.join(dir, 'tsa.pem'), '-noout', '-text']);
      expect(text.stdout).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
    });

    it('time-stamps every registration: openssl ts -verify accepts the registered file and refuses any other', async () => {
      const tsr = await as(alice).get(`/v1/works/${work.id}/timestamp`).buffer(true).parse(binary).expect(200);
      expect(tsr.headers['content-type']).toBe('application/timestamp-reply');
      const tsrFile = file('work.tsr', tsr.body as Buffer);
      const ok = await exec(OPENSSL, ['ts', '-verify', '-data', path.join(dir, 'work.txt'), '-in', tsrFile, '-CAfile', path.join(dir, 'ca.pem'), '-untrusted', path.join(dir, 'tsa.pem')]);
      expect(ok.stdout + ok.stderr).toMatch(/Verification: OK/);
      expect(ok.code).toBe(0);
      const other = await exec(OPENSSL, ['ts', '-verify', '-data', path.join(dir, 'other.txt'), '-in', tsrFile, '-CAfile', path.join(dir, 'ca.pem'), '-untrusted', path.join(dir, 'tsa.pem')]);
      expect(other.code).not.toBe(0);
      expect(other.stdout + other.stderr).toMatch(/Verification: FAILED/);

      // The registration entry names this very response, so the ledger vouches for it.
      const entry = decodeEntry(Buffer.from(work.entry, 'base64'));
      expect(entry.refs?.timeStamp).toBe(createHash('sha256').update(tsr.body as Buffer).digest('hex'));
    });

    it('answers standard RFC 3161 queries: nonce echoed, certificate included on request, SHA-1 refused with badAlg', async () => {
      const query = file('draft.tsq', '');
      await exec(OPENSSL, ['ts', '-query', '-data', path.join(dir, 'other.txt'), '-sha256', '-cert', '-out', query]);
      const reply = await request(http)
        .post('/v1/tsa')
        .set('Content-Type', 'application/timestamp-query')
        .send(fs.readFileSync(query))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(reply.headers['content-type']).toBe('application/timestamp-reply');
      const replyFile = file('draft.tsr', reply.body as Buffer);
      const verified = await exec(OPENSSL, ['ts', '-verify', '-queryfile', query, '-in', replyFile, '-CAfile', path.join(dir, 'ca.pem')]);
      expect(verified.stdout + verified.stderr).toMatch(/Verification: OK/); // -queryfile checks the nonce and imprint match
      const text = await exec(OPENSSL, ['ts', '-reply', '-in', replyFile, '-text']);
      const queryText = await exec(OPENSSL, ['ts', '-query', '-in', query, '-text']);
      const nonce = /Nonce: (\S+)/.exec(queryText.stdout)![1];
      expect(text.stdout).toContain(`Nonce: ${nonce}`);

      const sha1Query = file('sha1.tsq', '');
      await exec(OPENSSL, ['ts', '-query', '-data', path.join(dir, 'other.txt'), '-sha1', '-out', sha1Query]);
      const refused = await request(http).post('/v1/tsa').set('Content-Type', 'application/timestamp-query').send(fs.readFileSync(sha1Query)).buffer(true).parse(binary).expect(200);
      const refusedText = await exec(OPENSSL, ['ts', '-reply', '-in', file('sha1.tsr', refused.body as Buffer), '-text']);
      expect(refusedText.stdout).toMatch(/Status: Rejected/);
      expect(refusedText.stdout).toMatch(/unrecognized or unsupported algorithm identifier/i);

      const wrongType = await request(http).post('/v1/tsa').set('Content-Type', 'application/json').send('{}').expect(415);
      expect(wrongType.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const badKey = await request(http).post('/v1/tsa').set('Authorization', 'Bearer nope').set('Content-Type', 'application/timestamp-query').send(fs.readFileSync(query)).expect(401);
      expect(badKey.body.error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('the JSON certificate', () => {
    it('is self-contained and verifies offline against the pinned key and the file', async () => {
      const certificate = await certificateOf(work.id);
      expect(certificate.work).toMatchObject({ registrationNumber: work.registrationNumber, sha256: sha256Hex(content), status: 'registered', registrant: { id: alice.partyId, name: '张三' } });
      expect(certificate.work.metadata).toMatchObject({ title: '《春江花月夜》', authors: [{ name: '张若虚', role: 'author' }] });
      expect(certificate.entries.map((e) => e.kind)).toEqual(['work.registered']);
      expect(certificate.ledger.verifierKey).toBe(vkey);
      expect(certificate.verifyUrl).toMatch(new RegExp(`/verify\\?work=${work.id}$`));
      const result = verifyCertificate(certificate, { verifierKey: vkey, fileSha256: sha256Hex(content) });
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    });

    it('is given to the registrant and to officers, not to other creators or anonymous callers', async () => {
      await certificateOf(work.id, officer);
      const other = await as(bob).get(`/v1/works/${work.id}/certificate`).expect(403);
      expect(other.body.error.code).toBe('NOT_WORK_OWNER');
      await as(bob).get(`/v1/works/${work.id}/timestamp`).expect(403);
      await request(http).get(`/v1/works/${work.id}/certificate`).expect(401);
      await as(alice).get('/v1/works/00000000-0000-4000-8000-000000000000/certificate').expect(404);
    });

    it('passes `npm run verify` offline, and fails it for another file, another key or a tampered certificate', async () => {
      const certificate = await certificateOf(work.id);
      const certFile = file('certificate.json', JSON.stringify(certificate, null, 2));
      const ok = await exec(process.execPath, [VERIFY_CLI, certFile, '--file', path.join(dir, 'work.txt'), '--key', path.join(dir, 'vkey')]);
      expect(ok.stdout).toMatch(/VERIFIED: all \d+ checks passed/);
      expect(ok.stdout).toMatch(/PASS\s+time-stamp signature and imprint/);
      expect(ok.code).toBe(0);

      const wrongFile = await exec(process.execPath, [VERIFY_CLI, certFile, '--file', path.join(dir, 'other.txt'), '--key', vkey]);
      expect(wrongFile.code).toBe(1);
      expect(wrongFile.stdout).toMatch(/FAIL\s+file hash/);

      const unpinned = await exec(process.execPath, [VERIFY_CLI, certFile]);
      expect(unpinned.code).toBe(1);
      expect(unpinned.stdout).toMatch(/FAIL\s+ledger key pinned/);

      const wrongKey = await exec(process.execPath, [VERIFY_CLI, certFile, '--key', 'copyright-ledger+01020304+AaG3ZXnxbnaq5N2pY7U6EJXEv9PbjYTE2LOHvn3YJvn9']);
      expect(wrongKey.code).toBe(1);

      const tampered = JSON.parse(JSON.stringify(certificate)) as CertificateDocument;
      tampered.work.metadata.title = '《静夜思》';
      const tamperedFile = file('tampered.json', JSON.stringify(tampered));
      const refused = await exec(process.execPath, [VERIFY_CLI, tamperedFile, '--key', vkey, '--json']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout).checks.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name)).toEqual(['shown metadata']);

      const usage = await exec(process.execPath, [VERIFY_CLI]);
      expect(usage.code).toBe(2);
    });

    it('with --log, checks the certificate\'s checkpoint is consistent with the live log and reports later entries', async () => {
      const certificate = await certificateOf(work.id);
      const certFile = file('old-certificate.json', JSON.stringify(certificate));
      // Grow the log so the consistency proof is not trivial.
      await as(bob).post('/v1/works').send({ sha256: sha256Hex(`grow ${Math.random()}`), title: 'Grow', type: 'text', authors: [{ name: 'B' }] }).expect(201);
      const live = await exec(process.execPath, [VERIFY_CLI, certFile, '--log', baseUrl, '--file', path.join(dir, 'work.txt')]);
      expect(live.stdout).toMatch(/PASS\s+log consistency\s+the certificate's tree \(size \d+\) is a prefix of the log's/);
      expect(live.stdout).toMatch(/PASS\s+current status/);
      expect(live.code).toBe(0);

      // A certificate from a different (forked) log of the same key is caught: fake one by
      // pointing the certificate at a checkpoint the log never signed.
      const forked = JSON.parse(JSON.stringify(certificate)) as CertificateDocument;
      forked.ledger.checkpoint = forked.ledger.checkpoint.replace(/\n[A-Za-z0-9+/=]{44}\n/, `\n${Buffer.alloc(32, 1).toString('base64')}\n`);
      const forkFile = file('forked.json', JSON.stringify(forked));
      const fork = await exec(process.execPath, [VERIFY_CLI, forkFile, '--log', baseUrl]);
      expect(fork.code).toBe(1);
    });
  });

  describe('the PDF certificate', () => {
    it('renders title, authors and names in an embedded CJK font, with the registration details', async () => {
      const response = await as(alice).get(`/v1/works/${work.id}/certificate.pdf`).buffer(true).parse(binary).expect(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const pdf = response.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(fontNames(pdf).some((name) => /NotoSansHans/.test(name))).toBe(true);
      expect(pdf.toString('latin1')).toMatch(/\/FontFile3/); // the font program is embedded
      const glyphs = toUnicodeEntries(pdf);
      for (const char of '《春江花月夜》张若虚张三登记号') {
        const mapped = glyphs.filter((g) => g.text === char);
        expect({ char, found: mapped.length > 0 }).toEqual({ char, found: true });
        expect(mapped.every((g) => g.glyph > 0)).toBe(true);
      }
      // The Latin text is there too: registration number, hash halves.
      const mappedText = new Set(glyphs.map((g) => g.text));
      for (const char of `${work.registrationNumber}${sha256Hex(content)}`) expect(mappedText.has(char)).toBe(true);
      expect(pdf.toString('latin1')).toMatch(/\/Subtype\s*\/Image/); // the QR code
    });
  });

  describe('ids in upper case', () => {
    it('are taken as the same ids: the certificate of a work registered with them still verifies, and a work cannot be made to derive from itself', async () => {
      const derived = await as(alice)
        .post('/v1/works')
        .send({
          sha256: sha256Hex(Buffer.from(`derived ${Math.random()}`)),
          title: '春江花月夜（书法）',
          type: 'design',
          authors: [{ name: '张三' }],
          owners: [{ partyId: alice.partyId.toUpperCase(), shareBp: 10_000 }],
          derivedFrom: work.id.toUpperCase(),
        })
        .expect(201);
      expect(derived.body).toMatchObject({ derivedFrom: work.id, owners: [{ partyId: alice.partyId, shareBp: 10_000 }] });
      const certificate = await certificateOf(derived.body.id);
      expect(verifyCertificate(certificate, { verifierKey: vkey }).checks.filter((c) => !c.ok)).toEqual([]);

      const upperId = (derived.body.id as string).toUpperCase();
      expect((await as(alice).get(`/v1/works/${upperId}`).expect(200)).body.id).toBe(derived.body.id);
      const selfDerived = await as(alice).post(`/v1/works/${upperId}/amendments`).send({ reason: 'loop', changes: { derivedFrom: derived.body.id } }).expect(400);
      expect(selfDerived.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('amendments and withdrawal', () => {
    it('appends a work.amended entry pointing at the untouched original; history, view and certificate show both', async () => {
      const before = await certificateOf(work.id);
      const amended = await as(alice)
        .post(`/v1/works/${work.id}/amendments`)
        .send({ reason: '作者署名补充朝代。', changes: { authors: [{ name: '张若虚（唐）', role: 'author' }], description: '唐诗', completedOn: null } })
        .expect(201);
      expect(amended.body).toMatchObject({ seq: 1, reason: '作者署名补充朝代。', changes: { authors: [{ name: '张若虚（唐）', role: 'author' }], description: '唐诗', completedOn: null } });
      expect(amended.body.work).toMatchObject({ title: '《春江花月夜》', description: '唐诗', completedOn: null, authors: [{ name: '张若虚（唐）', role: 'author' }] });
      const entry = decodeEntry(Buffer.from(amended.body.proof.entry, 'base64'));
      expect(entry).toMatchObject({ kind: 'work.amended', subject: { id: work.id }, refs: { original: work.ledgerIndex, amendment: 1, registrationNumber: work.registrationNumber } });

      const history = await as(alice).get(`/v1/works/${work.id}/history`).expect(200);
      expect(history.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['work.registered', 'work.amended']);
      expect(history.body.entries[0].data).toBe(work.entry); // the original entry, byte for byte

      const certificate = await certificateOf(work.id);
      expect(certificate.entries.map((e) => e.kind)).toEqual(['work.registered', 'work.amended']);
      expect(certificate.entries[0]!.entry).toBe(before.entries[0]!.entry);
      expect(certificate.entries[0]!.metadata).toEqual(before.entries[0]!.metadata); // the original metadata still proves the original entry
      expect(certificate.work.metadata).toEqual({ ...before.work.metadata, authors: [{ name: '张若虚（唐）', role: 'author' }], description: '唐诗', completedOn: undefined });
      expect(verifyCertificate(certificate, { verifierKey: vkey, fileSha256: sha256Hex(content) }).checks.filter((c) => !c.ok)).toEqual([]);
    });

    it('refuses amendments that change nothing, or come from someone else', async () => {
      const nothing = await as(alice).post(`/v1/works/${work.id}/amendments`).send({ reason: 'again', changes: { title: '《春江花月夜》' } }).expect(400);
      expect(nothing.body.error.code).toBe('VALIDATION_FAILED');
      const invalid = await as(alice).post(`/v1/works/${work.id}/amendments`).send({ reason: 'x', changes: { title: null } }).expect(400);
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
      await as(alice).post(`/v1/works/${work.id}/amendments`).send({ changes: { title: 'no reason' } }).expect(400);
      const stranger = await as(bob).post(`/v1/works/${work.id}/amendments`).send({ reason: 'mine now', changes: { title: 'Stolen' } }).expect(403);
      expect(stranger.body.error.code).toBe('NOT_WORK_OWNER');
      await as(officer).post(`/v1/works/${work.id}/amendments`).send({ reason: 'x', changes: { title: 'x' } }).expect(403);
    });

    it('lets only the registrant withdraw; the record stays, marked withdrawn, and takes no more corrections', async () => {
      const stranger = await as(bob).post(`/v1/works/${work.id}/withdrawal`).send({ reason: 'no' }).expect(403);
      expect(stranger.body.error.code).toBe('NOT_WORK_OWNER');
      const withdrawn = await as(alice).post(`/v1/works/${work.id}/withdrawal`).send({ reason: '登记有误' }).expect(201);
      expect(withdrawn.body).toMatchObject({ reason: '登记有误', work: { id: work.id, status: 'withdrawn' } });
      expect(decodeEntry(Buffer.from(withdrawn.body.proof.entry, 'base64'))).toMatchObject({ kind: 'work.withdrawn', refs: { original: work.ledgerIndex } });

      expect((await as(alice).get(`/v1/works/${work.id}`).expect(200)).body.status).toBe('withdrawn');
      const again = await as(alice).post(`/v1/works/${work.id}/withdrawal`).send({ reason: 'again' }).expect(409);
      expect(again.body.error.code).toBe('WORK_WITHDRAWN');
      const late = await as(alice).post(`/v1/works/${work.id}/amendments`).send({ reason: 'late', changes: { title: 'Late' } }).expect(409);
      expect(late.body.error.code).toBe('WORK_WITHDRAWN');

      const certificate = await certificateOf(work.id);
      expect(certificate.work.status).toBe('withdrawn');
      expect(certificate.entries.map((e) => e.kind)).toEqual(['work.registered', 'work.amended', 'work.withdrawn']);
      const result = verifyCertificate(certificate, { verifierKey: vkey });
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      const pdf = await as(alice).get(`/v1/works/${work.id}/certificate.pdf`).buffer(true).parse(binary).expect(200);
      expect(toUnicodeEntries(pdf.body as Buffer).some((g) => g.text === '撤')).toBe(true);
    });

    it('flags, with --log, a certificate issued before a withdrawal', async () => {
      const stale = await exec(process.execPath, [VERIFY_CLI, path.join(dir, 'old-certificate.json'), '--log', baseUrl]);
      expect(stale.code).toBe(1);
      expect(stale.stdout).toMatch(/FAIL\s+current status\s+the registration was withdrawn/);
    });

    it('keeps amendment and time-stamp records append-only in the database', async () => {
      const { DataSource } = await import('typeorm');
      const dataSource = app.get(DataSource);
      await expect(dataSource.query(`UPDATE work_amendments SET reason = 'edited' WHERE work_id = $1`, [work.id])).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM work_timestamps WHERE work_id = $1`, [work.id])).rejects.toThrow(/append-only/);
    });
  });

  describe('public verification API', () => {
    it('finds registrations by content hash, with proofs, without a key; none for unknown content', async () => {
      const found = await request(http).get(`/v1/verify/works?sha256=${sha256Hex(content)}`).expect(200);
      expect(found.body.verifierKey).toBe(vkey);
      expect(found.body.registrations).toHaveLength(1);
      const registration = found.body.registrations[0];
      expect(registration).toMatchObject({ workId: work.id, registrationNumber: work.registrationNumber, status: 'withdrawn', registrant: { id: alice.partyId, name: '张三' } });
      expect(registration.entries.map((e: { kind: string }) => e.kind)).toEqual(['work.registered', 'work.amended', 'work.withdrawn']);
      expect(registration.entries[0].metadata).toBeUndefined(); // metadata stays with the certificate holder
      expect(registration.timeStamp.response).toBeTruthy();
      const { verifyInclusion, openCheckpoint, leafHash } = await import('#ledger');
      const checkpoint = openCheckpoint(found.body.checkpoint, vkey);
      for (const e of registration.entries) {
        expect(verifyInclusion(leafHash(Buffer.from(e.entry, 'base64')), e.ledgerIndex, checkpoint.size, e.inclusionProof.hashes.map((h: string) => Buffer.from(h, 'base64')), checkpoint.rootHash)).toBe(true);
      }

      expect((await request(http).get(`/v1/verify/works?sha256=${sha256Hex('never registered')}`).expect(200)).body.registrations).toEqual([]);
      expect((await request(http).get('/v1/verify/works?sha256=xyz').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
      expect((await request(http).get(`/v1/verify/works/${work.id}`).expect(200)).body.registrations[0].workId).toBe(work.id);
      await request(http).get('/v1/verify/works/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });
});
