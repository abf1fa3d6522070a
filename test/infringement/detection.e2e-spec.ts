// The scan end to end: registrations and sightings go through the outbox to
// BullMQ, the worker (a real application context with its processors)
// fingerprints and matches them, and officers find, work and export the
// reports over the API.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Converter } from 'opencc-js/cn2t';
import PDFDocument from 'pdfkit';
import { Queue } from 'bullmq';
import pg from 'pg';
import sharp from 'sharp';
import request from 'supertest';
import { QueueName } from '#queue';
import { MatchScanner } from '../../apps/worker/src/scan/matcher.js';
import { syntheticImage } from '../../libs/fingerprint/test-support/image-fixtures.js';
import { randomHash } from '../support/proofs.js';
import { ADMIN_KEY, issueKey, TEST_DATA_DIR, type TestParty } from '../support/test-app.js';
import { docxOf } from './docx-fixture.js';
import { reportsAbout, startScanHarness, waitFor, type ScanHarness } from './scan-harness.js';
import { CHINESE_ESSAY, ESSAY, replaceEveryNthWord } from './texts.js';

const run = promisify(execFile);
const toTraditional = Converter({ from: 'cn', to: 'tw' });

describe('infringement detection', () => {
  let h: ScanHarness;
  let alice: TestParty;
  let bob: TestParty;
  let officer: TestParty;
  const auth = (p: TestParty) => ({ Authorization: `Bearer ${p.key}` });

  beforeAll(async () => {
    h = await startScanHarness();
    alice = await issueKey(h.registry, 'creator', 'Alice Author');
    bob = await issueKey(h.registry, 'creator', 'Bob Borrower');
    officer = await issueKey(h.registry, 'officer', 'Officer Wang');
  }, 60_000);
  afterAll(() => h?.close(), 30_000);

  async function upload(as: TestParty, content: Buffer, name: string, title: string, type = 'text'): Promise<string> {
    const response = await request(h.http)
      .post('/v1/works')
      .set(auth(as))
      .field('metadata', JSON.stringify({ title, type, authors: [{ name: as === alice ? 'Alice' : 'Bob' }] }))
      .attach('file', content, name)
      .expect(201);
    return response.body.id;
  }

  const reportBetween = (original: string, suspect: string) =>
    waitFor(`a report on ${original} ← ${suspect}`, async () => (await reportsAbout(h.http, officer.key, original)).find((r) => r.suspect.workId === suspect));

  let textReportId: string;
  let imagePair: { original: string; copy: string };
  let originalTextId: string;

  it('reports a near copy of a text registered later by another party, with passages located in both texts', async () => {
    const unique = `${ESSAY}\n\nReference ${Math.random()}.`;
    originalTextId = await upload(alice, Buffer.from(unique), 'essay.txt', 'The Lighthouse Ledger');
    const copy = replaceEveryNthWord(unique, 6);
    const copyId = await upload(bob, Buffer.from(copy), 'copy.txt', 'Harbour Notes');
    const summary = await reportBetween(originalTextId, copyId);
    expect(summary).toMatchObject({ status: 'open', media: 'text', matchKind: 'near', original: { workId: originalTextId }, suspect: { kind: 'work', workId: copyId } });
    textReportId = summary.id;
    const detail = (await request(h.http).get(`/v1/reports/${summary.id}`).set(auth(officer)).expect(200)).body;
    expect(detail.score).toBeGreaterThan(0.15);
    expect(detail.evidence.passages.length).toBeGreaterThan(0);
    for (const p of detail.evidence.passages) {
      expect(unique.slice(p.original.start, p.original.end).startsWith(p.original.text.replace(/…$/, ''))).toBe(true);
      expect(copy.slice(p.suspect.start, p.suspect.end).startsWith(p.suspect.text.replace(/…$/, ''))).toBe(true);
    }
    expect(detail.priority.originalLedgerIndex).toBeLessThan(detail.priority.suspectLedgerIndex);
    expect(detail.priority.originalProof.inclusionProof.index).toBe(detail.priority.originalLedgerIndex);
    expect(detail.history).toEqual([expect.objectContaining({ kind: 'detected', to: 'open', actor: { kind: 'system' } })]);
    expect(detail.licence.status).toBe('not_licensed');
  }, 60_000);

  it('never raises a second report for the same pair, however often the match runs', async () => {
    const report = (await request(h.http).get(`/v1/reports/${textReportId}`).set(auth(officer)).expect(200)).body;
    const scanner = h.worker.get(MatchScanner);
    const again = await Promise.all([scanner.run('work', report.suspect.workId), scanner.run('work', report.original.workId)]);
    expect(again.flatMap((o) => o.reportsRaised)).toEqual([]);
    expect(again.every((o) => o.matches >= 1)).toBe(true);
    const all = await reportsAbout(h.http, officer.key, report.original.workId);
    expect(all.filter((r) => r.suspect.workId === report.suspect.workId)).toHaveLength(1);
  }, 30_000);

  it('marks an exact duplicate registered by another party (hash only) critical', async () => {
    const sha256 = randomHash();
    const first = (await request(h.http).post('/v1/works').set(auth(alice)).send({ sha256, title: 'Private score', type: 'audio', authors: [{ name: 'A' }] }).expect(201)).body;
    const second = (await request(h.http).post('/v1/works').set(auth(bob)).send({ sha256, title: 'My score', type: 'audio', authors: [{ name: 'B' }] }).expect(201)).body;
    const report = await reportBetween(first.id, second.id);
    expect(report).toMatchObject({ severity: 'critical', matchKind: 'exact', media: 'other', score: 1 });
  }, 60_000);

  it('does not report a party for copying its own work', async () => {
    const own = await upload(alice, Buffer.from(replaceEveryNthWord(`${ESSAY}\n\nOwn ${Math.random()}`, 7)), 'own.txt', 'Lighthouse, second edition');
    const outcome = await waitFor('the own-work scan', async () => {
      const fp = await h.worker.get(MatchScanner).run('work', own).catch(() => undefined);
      return fp;
    });
    // It does copy Bob's earlier copy of Alice's essay: that pair is reported; pairs of Alice's own works are not.
    expect(outcome.matches).toBeGreaterThan(0);
    const reports = await reportsAbout(h.http, officer.key, own);
    const other = (r: Record<string, any>) => (r.original.workId === own ? r.suspect.workId : r.original.workId);
    expect(reports.map(other)).not.toContain(originalTextId);
    expect(reports.filter((r) => [r.original.workId, r.suspect.workId].includes(originalTextId))).toEqual([]);
  }, 60_000);

  it('finds a cropped and recompressed copy of an image', async () => {
    const base = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#335577' } })
      .composite([
        { input: Buffer.from(`<svg width="640" height="480"><circle cx="200" cy="180" r="120" fill="#f0c020"/><rect x="360" y="220" width="220" height="180" fill="#c03030"/><path d="M0 480 L320 260 L640 480 Z" fill="#208040"/><text x="40" y="60" font-size="40" fill="white">${Math.random().toFixed(6)}</text></svg>`) },
      ])
      .png()
      .toBuffer();
    const original = await upload(alice, base, 'scene.png', 'Harbour at dusk', 'image');
    const cropped = await sharp(base).extract({ left: 32, top: 24, width: 576, height: 432 }).resize(480).jpeg({ quality: 70 }).toBuffer();
    const copy = await upload(bob, cropped, 'scene-small.jpg', 'Evening view', 'image');
    const report = await reportBetween(original, copy);
    expect(report.media).toBe('image');
    const detail = (await request(h.http).get(`/v1/reports/${report.id}`).set(auth(officer)).expect(200)).body;
    expect(detail.evidence.method).toBe('image');
    expect(detail.evidence.distance).toBeLessThanOrEqual(12);
    expect(detail.evidence.regions.length).toBeGreaterThan(0);
    imagePair = { original, copy };
  }, 60_000);

  it('matches a subject again when its fingerprint is written again, as a layout migration does', async () => {
    const { copy } = imagePair;
    const matchQueue = new Queue(QueueName.Match, { connection: { url: process.env.TEST_RUN_REDIS_URL }, prefix: h.prefix });
    const db = new pg.Pool({ connectionString: process.env.TEST_RUN_DATABASE_URL, max: 1 });
    const matchJobs = async () => (await matchQueue.getJobs(['completed'])).map((j) => j.id!).filter((id) => id.startsWith(`match-work.${copy}.`));
    try {
      await waitFor('the first match of the copy', async () => (await matchJobs()).length === 1);
      // What migration 1764930000000 did to every image: drop its fingerprint and index rows, fingerprint it again.
      await db.query(`DELETE FROM image_hash_keys WHERE image_id IN (SELECT id FROM image_fingerprints WHERE work_id = $1)`, [copy]);
      await db.query(`DELETE FROM image_fingerprints WHERE work_id = $1`, [copy]);
      await db.query(`DELETE FROM content_fingerprints WHERE subject_kind = 'work' AND subject_id = $1`, [copy]);
      await db.query(`INSERT INTO outbox (job_name, payload, job_id) VALUES ('fingerprint-work', jsonb_build_object('workId', $1::text), 'fingerprint-work.' || $1 || '.again')`, [copy]);
      const jobs = await waitFor('a second match of the copy', async () => {
        const ids = await matchJobs();
        return ids.length === 2 ? ids : undefined;
      });
      expect(new Set(jobs).size).toBe(2);
    } finally {
      await matchQueue.close();
      await db.end();
    }
  }, 60_000);

  it('finds a 20% crop that fell between two grid windows by re-aligning the window on the pixels', async () => {
    // Cut at 2.5% × 2.5%, half a grid step from every 80% window: 14 bits from the nearest, no fingerprint match.
    const base = await syntheticImage(1);
    const original = await upload(alice, base, 'shapes.png', 'Shapes', 'image');
    const cropped = await sharp(base).extract({ left: 12, top: 9, width: 384, height: 288 }).jpeg({ quality: 90 }).toBuffer();
    const copy = await upload(bob, cropped, 'shapes-crop.jpg', 'Shapes, cropped', 'image');
    const report = await reportBetween(original, copy);
    const { evidence } = (await request(h.http).get(`/v1/reports/${report.id}`).set(auth(officer)).expect(200)).body;
    expect(evidence).toMatchObject({ method: 'image', match: 'region', threshold: 8 });
    expect(evidence.distance).toBeLessThanOrEqual(8);
    expect(evidence.alignedFrom.distance).toBeGreaterThan(12); // where the grid left it
    expect(evidence.alignedFrom.original).toMatchObject({ kind: 'grid', w: 0.8 });
    const [window] = evidence.regions;
    expect(window.original).toMatchObject({ kind: 'aligned', w: 0.8, h: 0.8 });
    expect(window.original.x).toBeCloseTo(0.025, 2);
    expect(window.suspect.kind).toBe('whole');
    expect(evidence.check.distance).toBeLessThanOrEqual(evidence.check.threshold);
  }, 60_000);

  it('matches a Traditional-Chinese copy of a Simplified text, a .docx and a .pdf', async () => {
    const zh = `${CHINESE_ESSAY}\n编号${Math.random()}`;
    const original = await upload(alice, Buffer.from(zh), 'shudian.txt', '书店');
    const traditional = await upload(bob, Buffer.from(toTraditional(zh)), 'shudian-tw.txt', '書店');
    expect((await reportBetween(original, traditional)).media).toBe('text');

    const english = `${ESSAY.split('\n\n').slice(0, 3).join('\n\n')}\n\nEdition ${Math.random()}`;
    const originalEn = await upload(alice, Buffer.from(english), 'three.txt', 'Three paragraphs');
    const docx = await upload(bob, docxOf(english.split('\n\n')), 'three.docx', 'Three paragraphs (Word)');
    expect((await reportBetween(originalEn, docx)).media).toBe('text');

    const pdf = await new Promise<Buffer>((resolve) => {
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.text(english);
      doc.end();
    });
    const pdfWork = await upload(bob, pdf, 'three.pdf', 'Three paragraphs (PDF)');
    const report = await reportBetween(originalEn, pdfWork);
    const detail = (await request(h.http).get(`/v1/reports/${report.id}`).set(auth(officer)).expect(200)).body;
    expect(detail.evidence.originalInSuspect).toBeGreaterThan(0.5);
  }, 90_000);

  let sightingReport: string;

  it('fingerprints and matches a sighting, and officers find it by domain and by text', async () => {
    const excerpt = ESSAY.split('\n\n').slice(1, 3).join('\n\n');
    const sighting = await request(h.http)
      .post('/v1/sightings')
      .set(auth(officer))
      .send({ text: excerpt, sourceUrl: 'https://www.pirate-books.example/read/42', platform: 'Pirate Books', seenAt: new Date().toISOString(), suspectName: 'uploader42' })
      .expect(202);
    expect(sighting.body).toMatchObject({ scan: 'queued', timeStamped: true });
    const found = await waitFor('the sighting report', async () => {
      const items = (await request(h.http).get('/v1/reports?domain=pirate-books.example').set(auth(officer)).expect(200)).body.items;
      return items.find((r: { suspect: { sightingId?: string }; original: { workId: string } }) => r.suspect.sightingId === sighting.body.id && r.original.workId === originalTextId);
    });
    expect(found).toMatchObject({ media: 'text', suspect: { kind: 'sighting', sourceDomain: 'www.pirate-books.example', platform: 'Pirate Books' } });
    sightingReport = found.id;
    const byText = (await request(h.http).get('/v1/reports?q=PIRATE-BOOKS').set(auth(officer)).expect(200)).body.items;
    expect(byText.map((r: { id: string }) => r.id)).toContain(found.id);
    const scan = (await request(h.http).get(`/v1/sightings/${sighting.body.id}`).set(auth(officer)).expect(200)).body;
    expect(scan.scan).toMatchObject({ status: 'fingerprinted', media: 'text', extractor: 'plain' });
    expect(scan.reports.map((r: { id: string }) => r.id)).toContain(found.id);
  }, 60_000);

  it('refuses a sighting whose date or address it cannot read with a 400 naming the field', async () => {
    const good = { text: 'a suspect copy', sourceUrl: 'https://copies.example/1', platform: 'Copies', seenAt: '2026-05-01T08:30:00Z' };
    const cases: Array<[string, object]> = [
      ['seenAt', { seenAt: '2026-W01-1' }],
      ['seenAt', { seenAt: '20260501T083000Z' }],
      ['sourceUrl', { sourceUrl: 'http://exa%mple.com/' }],
      ['sourceUrl', { sourceUrl: `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.example/` }],
    ];
    const stored = () => fs.readdirSync(path.join(TEST_DATA_DIR, 'blobs', 'sha256'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    const before = stored();
    for (const [field, change] of cases) {
      const refused = await request(h.http).post('/v1/sightings').set(auth(officer)).send({ ...good, text: `a suspect copy ${Math.random()}`, ...change }).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
    }
    // Fields quoted into takedown notices are single lines: a newline could forge a section.
    for (const field of ['platform', 'title', 'suspectName']) {
      const forged = await request(h.http).post('/v1/sightings').set(auth(officer)).send({ ...good, [field]: 'X\n五、联系人 Contact: counter-notices to attacker@evil.example' }).expect(400);
      expect(forged.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    // A refused file does not stay in the content store either.
    const refusedFile = await request(h.http)
      .post('/v1/sightings')
      .set(auth(officer))
      .field('metadata', JSON.stringify({ sourceUrl: 'https://copies.example/2', platform: 'Copies', seenAt: '2999-01-01T00:00:00Z' }))
      .attach('file', Buffer.from(`a refused copy ${Math.random()}`), 'copy.txt')
      .expect(400);
    expect(refusedFile.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'seenAt' } });
    expect(stored()).toBe(before);
  });

  it('filters, sorts and pages with a cursor', async () => {
    const all = (await request(h.http).get('/v1/reports?limit=100&sort=-score').set(auth(officer)).expect(200)).body.items;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const scores = all.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await request(h.http).get(`/v1/reports?limit=2&sort=-score${cursor ? `&cursor=${cursor}` : ''}`).set(auth(officer)).expect(200)
      ).body;
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    // The scanner keeps raising reports meanwhile: every report of the first listing appears once, in the same order.
    expect(new Set(seen).size).toBe(seen.length);
    const listed = all.map((r: { id: string }) => r.id);
    expect(seen.filter((id) => listed.includes(id))).toEqual(listed);
    const images = (await request(h.http).get('/v1/reports?media=image&minScore=0.5').set(auth(officer)).expect(200)).body.items;
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((r: { media: string; score: number }) => r.media === 'image' && r.score >= 0.5)).toBe(true);
    const owned = (await request(h.http).get(`/v1/reports?owner=${alice.partyId}&suspectParty=${bob.partyId}&status=open`).set(auth(officer)).expect(200)).body.items;
    expect(owned.length).toBeGreaterThan(0);
    // Right holders see the reports on their own works, read only; not those where they are the suspect.
    const mine = (await request(h.http).get('/v1/reports?limit=100').set(auth(alice)).expect(200)).body.items;
    expect(mine.length).toBeGreaterThan(0);
    const bobs = (await request(h.http).get('/v1/reports?limit=100').set(auth(bob)).expect(200)).body.items;
    expect(bobs.filter((r: { original: { workId: string } }) => r.original.workId === originalTextId)).toEqual([]);
    await request(h.http).get(`/v1/reports/${textReportId}`).set(auth(bob)).expect(404);
    await request(h.http).post(`/v1/reports/${textReportId}/status`).set(auth(alice)).send({ status: 'investigating', reason: 'mine' }).expect(403);
    await request(h.http).get('/v1/reports?cursor=bogus').set(auth(officer)).expect(400);
  }, 30_000);

  it('moves a report through its workflow with who, when and why, and confirms it on the ledger', async () => {
    const bad = await request(h.http).post(`/v1/reports/${textReportId}/status`).set(auth(officer)).send({ status: 'confirmed', reason: 'too fast' }).expect(409);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_STATUS_CHANGE', details: { allowed: ['investigating', 'dismissed', 'licensed'] } });
    await request(h.http).post(`/v1/reports/${textReportId}/notes`).set(auth(officer)).send({ note: 'Asked the platform for upload logs.' }).expect(201);
    await request(h.http).post(`/v1/reports/${textReportId}/status`).set(auth(officer)).send({ status: 'investigating', reason: 'Reading both texts.' }).expect(200);
    const confirmed = (await request(h.http).post(`/v1/reports/${textReportId}/status`).set(auth(officer)).send({ status: 'confirmed', reason: 'Paragraphs copied with words swapped.' }).expect(200)).body;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.allowedTransitions).toEqual([]);
    expect(confirmed.confirmation).toMatchObject({ status: 'integrated', proof: { ledgerIndex: expect.any(Number) } });
    const entry = JSON.parse(Buffer.from(confirmed.confirmation.proof.entry, 'base64').toString('utf8'));
    expect(entry).toMatchObject({ kind: 'infringement.confirmed', subject: { type: 'infringement-report', id: textReportId }, parties: expect.arrayContaining([{ role: 'officer', id: officer.partyId }]) });
    expect(confirmed.history.map((e: { kind: string; to: string | null; note: string }) => [e.kind, e.to, e.note])).toEqual([
      ['detected', 'open', expect.any(String)],
      ['note', null, 'Asked the platform for upload logs.'],
      ['status', 'investigating', 'Reading both texts.'],
      ['status', 'confirmed', 'Paragraphs copied with words swapped.'],
    ]);
    expect(confirmed.history[3].actor).toMatchObject({ kind: 'party', partyId: officer.partyId, role: 'officer', name: 'Officer Wang' });
    await request(h.http).post(`/v1/reports/${textReportId}/status`).set(auth(officer)).send({ status: 'dismissed', reason: 'changed my mind' }).expect(409);
    const byNote = (await request(h.http).get('/v1/reports?q=upload%20logs').set(auth(officer)).expect(200)).body.items;
    expect(byNote.map((r: { id: string }) => r.id)).toEqual([textReportId]);
  }, 30_000);

  it('exports evidence packages that the verify command accepts offline, and refuses tampered ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
    const vkey = (await request(h.http).get('/v1/ledger/key').expect(200)).text.trim();
    fs.writeFileSync(path.join(dir, 'vkey'), vkey);
    fs.writeFileSync(path.join(dir, 'ca.pem'), (await request(h.http).get('/v1/tsa/certs/ca.pem').expect(200)).text);
    const verify = async (file: string, extra: string[] = ['--tsa-ca', path.join(dir, 'ca.pem')]) =>
      run(process.execPath, ['dist/apps/cli/src/verify.js', file, '--key', path.join(dir, 'vkey'), ...extra]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    for (const id of [textReportId, sightingReport]) {
      const pkg = (await request(h.http).get(`/v1/reports/${id}/evidence`).set(auth(officer)).expect(200)).body;
      expect(pkg.takedownNotice.text).toContain('Alice Author');
      const file = path.join(dir, `${id}.json`);
      fs.writeFileSync(file, JSON.stringify(pkg));
      const result = await verify(file);
      expect({ code: result.code, out: result.out }).toEqual({ code: 0, out: expect.stringContaining('VERIFIED') });
      if (id === textReportId) expect(result.out).toMatch(/PASS\s+confirmation on the ledger/);
      else {
        expect(result.out).toMatch(/PASS\s+suspect: sighting time-stamp/);
        // The sighting's token is bound to nothing on the ledger: without a pinned TSA CA it proves nothing.
        expect((await verify(file, [])).out).toMatch(/FAIL\s+suspect: sighting time-stamp/);
        // A notice pointing at another site, or whose text says something else, is refused.
        const moved = structuredClone(pkg);
        moved.takedownNotice.infringingCopy.location = 'https://innocent.example/';
        fs.writeFileSync(file, JSON.stringify(moved));
        expect((await verify(file)).out).toMatch(/FAIL\s+takedown notice\s.*names another location/);
        const rewritten = structuredClone(pkg);
        rewritten.takedownNotice.text = rewritten.takedownNotice.text.replace('pirate-books', 'innocent');
        fs.writeFileSync(file, JSON.stringify(rewritten));
        expect((await verify(file)).out).toMatch(/FAIL\s+takedown notice\s.*text is not the one its fields give/);
      }
      const tampered = structuredClone(pkg);
      tampered.similarity.jaccard = 0.99;
      fs.writeFileSync(file, JSON.stringify(tampered));
      const refused = await verify(file);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/FAIL\s+similarity evidence hash/);
    }
    const notice = await request(h.http).get(`/v1/reports/${sightingReport}/takedown-notice`).set(auth(officer)).expect(200);
    expect(notice.text).toContain('https://www.pirate-books.example/read/42');
    expect(notice.text).toContain('Alice Author');
  }, 60_000);

  it('serves the queue dashboard to admins only', async () => {
    await request(h.http).get('/admin/queues').expect(401).expect('www-authenticate', /Basic/);
    await request(h.http).get('/admin/queues').set(auth(officer)).expect(403);
    const page = await request(h.http).get('/admin/queues').set('Authorization', `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`).expect(200);
    expect(page.text).toContain('<html');
    const queues = await request(h.http).get('/admin/queues/api/queues').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['fingerprint', 'match']);
  }, 30_000);
});
