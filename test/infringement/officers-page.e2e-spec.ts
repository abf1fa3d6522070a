// The /officers search page in a real browser (Debian's chromium driven by
// playwright-core): the officer enters a key, searches with filters, opens a
// report, reads the evidence, moves it through the workflow and exports the
// evidence package, all through the same API as any client.
import { chromium, type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { issueKey, type TestParty } from '../support/test-app.js';
import { startScanHarness, waitFor, reportsAbout, type ScanHarness } from './scan-harness.js';
import { ESSAY, replaceEveryNthWord } from './texts.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the /officers page', () => {
  let h: ScanHarness;
  let browser: Browser;
  let page: Page;
  let base: string;
  let officer: TestParty;
  let reportId: string;
  // Other suites raise reports in the same database at the same time, so the
  // page is searched for this run's own title rather than trusting page one.
  const copyTitle = `Harbour Notes ${Math.random().toString(36).slice(2, 10)}`;
  const errors: string[] = [];

  beforeAll(async () => {
    h = await startScanHarness();
    await h.registry.listen(0, '127.0.0.1');
    base = (await h.registry.getUrl()).replace('[::1]', '127.0.0.1');
    const alice = await issueKey(h.registry, 'creator', 'Alice Page');
    const bob = await issueKey(h.registry, 'creator', 'Bob Page');
    officer = await issueKey(h.registry, 'officer', 'Officer Zhao');
    const text = `${ESSAY}\n\nPage test ${Math.random()}`;
    const upload = async (as: TestParty, body: string, title: string) =>
      (
        await request(h.http)
          .post('/v1/works')
          .set('Authorization', `Bearer ${as.key}`)
          .field('metadata', JSON.stringify({ title, type: 'text', authors: [{ name: title }] }))
          .attach('file', Buffer.from(body), 'w.txt')
          .expect(201)
      ).body.id as string;
    const original = await upload(alice, text, '灯塔账本 The Lighthouse Ledger');
    const copy = await upload(bob, replaceEveryNthWord(text, 9), copyTitle);
    reportId = (await waitFor('the report', async () => (await reportsAbout(h.http, officer.key, original)).find((r) => r.suspect.workId === copy))).id;
    await request(h.http)
      .post('/v1/sightings')
      .set('Authorization', `Bearer ${officer.key}`)
      .send({ text: ESSAY.split('\n\n').slice(0, 2).join('\n\n'), sourceUrl: 'https://copycat.example/p/1', platform: 'Copycat', seenAt: new Date().toISOString() })
      .expect(202);
    await waitFor('the sighting report', async () => (await reportsAbout(h.http, officer.key, original)).find((r) => r.suspect.kind === 'sighting'), 60_000);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(error.message));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  }, 30_000);

  const rowIds = () => page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.getAttribute('data-report-id')));

  async function searchWith(fields: Record<string, string>): Promise<void> {
    const before = Number((await page.getAttribute('body', 'data-searches')) ?? 0);
    for (const [name, value] of Object.entries(fields)) await page.fill(`#filters input[name="${name}"]`, value);
    await page.click('#filters button[type="submit"]');
    await page.waitForSelector(`body[data-searches="${before + 1}"]`);
  }

  it('searches with the officer key and filters by domain and text', async () => {
    await page.goto(`${base}/officers`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#key', officer.key);
    await page.click('#auth button');
    await page.waitForSelector('body[data-searches="1"]');
    expect((await rowIds()).length).toBeGreaterThan(0);
    await searchWith({ domain: 'copycat.example' });
    const bySource = await page.$$eval('#results tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(bySource.length).toBeGreaterThan(0);
    expect(bySource.every((text) => text.includes('https://copycat.example/p/1'))).toBe(true);
    await searchWith({ domain: '', q: copyTitle.toLowerCase() });
    const byText = await rowIds();
    expect(byText).toContain(reportId);
    expect(byText.length).toBeLessThan((await request(h.http).get('/v1/reports?limit=100').set('Authorization', `Bearer ${officer.key}`)).body.items.length);
    expect(errors).toEqual([]);
  }, 30_000);

  it('opens a report, shows the matched passages, moves it to investigating and exports the evidence package', async () => {
    await page.click(`tr[data-report-id="${reportId}"]`);
    await page.waitForSelector('#detail-status');
    expect(await page.getAttribute('#detail-status', 'data-status')).toBe('open');
    const passages = await page.$$eval('.passage pre', (pres) => pres.map((p) => p.textContent));
    expect(passages.length).toBeGreaterThan(1);
    expect(passages.join(' ')).toContain('lighthouse keeper');
    await page.selectOption('#status-form select[name="status"]', 'investigating');
    await page.fill('#status-form input[name="reason"]', 'Checking the upload date with the platform.');
    await page.click('#status-form button');
    await page.waitForSelector('#detail-status[data-status="investigating"]');
    expect(await page.textContent('#detail')).toContain('Checking the upload date with the platform.');
    expect(await page.textContent('#detail')).toContain('Officer Zhao');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = await download.path();
    const pkg = JSON.parse(await (await import('node:fs')).promises.readFile(file!, 'utf8'));
    expect(pkg).toMatchObject({ format: 'copyright-ledger/infringement-evidence', report: { id: reportId, status: 'investigating' } });
    // The API agrees with what the page showed.
    const api = (await request(h.http).get(`/v1/reports/${reportId}`).set('Authorization', `Bearer ${officer.key}`).expect(200)).body;
    expect(api.history.at(-1)).toMatchObject({ kind: 'status', to: 'investigating', note: 'Checking the upload date with the platform.' });
    expect(errors).toEqual([]);
  }, 30_000);
});
