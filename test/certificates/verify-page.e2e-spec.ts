// The /verify page in a real browser (Debian's chromium driven by
// playwright-core): files are hashed in the page, and every check runs in the
// page against the public ledger API.
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { issueKey, startRegistry, type TestParty } from '../support/test-app.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the /verify page', () => {
  let app: INestApplication;
  let browser: Browser;
  let page: Page;
  let base: string;
  let alice: TestParty;
  const content = Buffer.from(`《春江花月夜》 ${Math.random()}`);
  let workId: string;
  let registrationNumber: string;
  const requests: string[] = [];

  beforeAll(async () => {
    app = await startRegistry();
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    alice = await issueKey(app, 'creator', '张三');
    const registered = await request(app.getHttpServer())
      .post('/v1/works')
      .set('Authorization', `Bearer ${alice.key}`)
      .field('metadata', JSON.stringify({ title: '《春江花月夜》', type: 'text', authors: [{ name: '张若虚' }] }))
      .attach('file', content, 'poem.txt')
      .expect(201);
    workId = registered.body.id;
    registrationNumber = registered.body.registrationNumber;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 30_000);

  beforeEach(async () => {
    page = await browser.newPage();
    requests.length = 0;
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()} ${r.postData() ?? ''}`));
    page.on('pageerror', (error) => requests.push(`PAGE ERROR ${error.message}`));
  });
  afterEach(() => page.close());
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  const checksOf = (p: Page) =>
    p.$$eval('tr.check', (rows) => rows.map((row) => ({ name: row.getAttribute('data-name'), ok: row.getAttribute('data-ok') === 'true', detail: row.querySelector('.detail')?.textContent })));

  async function drop(files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
    await page.goto(`${base}/verify`);
    await page.setInputFiles('#files', files);
    await page.waitForSelector('body[data-done="true"]', { timeout: 20_000 });
  }

  it('shows a dropped registered file as registered, when and by whom, with every check passing', async () => {
    await drop([{ name: 'poem.txt', mimeType: 'text/plain', buffer: content }]);
    const verdict = await page.getAttribute('section.card', 'data-verdict');
    expect({ verdict, requests: requests.filter((r) => r.startsWith('PAGE ERROR')) }).toEqual({ verdict: 'registered', requests: [] });
    const text = await page.textContent('section.card');
    expect(text).toContain('已登记 Registered');
    expect(text).toContain(registrationNumber);
    expect(text).toContain('张三');
    const checks = await checksOf(page);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['content hash', 'checkpoint signature', 'registration', 'status', 'time-stamp signature', 'time-stamp bound to the ledger']),
    );
    expect(checks.find((c) => c.name === 'checkpoint signature')?.detail).toMatch(/signed by/);
    // The file itself never left the browser: only its hash was sent.
    expect(requests.some((r) => r.includes(content.toString()))).toBe(false);
    expect(requests.some((r) => r.startsWith('POST'))).toBe(false);
  }, 30_000);

  it('says "not registered" for any other file', async () => {
    await drop([{ name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from(`never registered ${Math.random()}`) }]);
    expect(await page.getAttribute('section.card', 'data-verdict')).toBe('not-registered');
    expect(await page.textContent('section.card')).toContain('Not registered');
  }, 30_000);

  it('checks a dropped certificate with its work: metadata, proofs, time-stamp and consistency with the live log', async () => {
    const certificate = (await request(app.getHttpServer()).get(`/v1/works/${workId}/certificate`).set('Authorization', `Bearer ${alice.key}`).expect(200)).body;
    // Grow the log so the page has a real consistency proof to check.
    await request(app.getHttpServer())
      .post('/v1/works')
      .set('Authorization', `Bearer ${alice.key}`)
      .send({ sha256: Buffer.alloc(32, Math.floor(Math.random() * 255)).toString('hex'), title: 'x', type: 'text', authors: [{ name: 'x' }] });
    await drop([
      { name: 'certificate.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(certificate)) },
      { name: 'poem.txt', mimeType: 'text/plain', buffer: content },
    ]);
    const checks = await checksOf(page);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['content hash', 'title, authors and details', 'log consistency', 'current status']));
    const text = await page.textContent('section.card');
    expect(text).toContain('《春江花月夜》');
    expect(text).toContain('张若虚');

    const tampered = { ...certificate, work: { ...certificate.work, metadata: { ...certificate.work.metadata, title: '《静夜思》' } } };
    await drop([{ name: 'certificate.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) }]);
    expect(await page.getAttribute('section.card', 'data-verdict')).toBe('failed');
    expect((await checksOf(page)).filter((c) => !c.ok).map((c) => c.name)).toEqual(['title, authors and details']);
  }, 30_000);

  it('opens from the certificate QR code (?work=) and shows the registration', async () => {
    await page.goto(`${base}/verify?work=${workId}`);
    await page.waitForSelector('body[data-done="true"]', { timeout: 20_000 });
    expect(await page.getAttribute('section.card', 'data-verdict')).toBe('registered');
    expect((await checksOf(page)).filter((c) => !c.ok)).toEqual([]);
  }, 30_000);
});
