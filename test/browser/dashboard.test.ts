import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sleep } from '@trendmill/platform/testing';
import { EmbeddedPipeline } from './support/embedded-pipeline.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));
// The whole pipeline on a busy 2-core machine takes 20–60 s for the sample; leave room.
const TOPICS_TIMEOUT_MS = 180_000;

interface BatchResult {
  accepted: number;
  rejected: number;
}

/** An item whose title carries markup (entity-encoded, so it survives the normalizer as text). */
const HOSTILE_ITEM = {
  externalId: 'browser-xss-1',
  title:
    '&lt;img src=x onerror="window.__trendmillXss=1"&gt; Quokka census &lt;script&gt;window.__trendmillXss=2&lt;/script&gt;',
  content:
    'Rangers counted every quokka on the island. &lt;img src=x onerror="window.__trendmillXss=3"&gt; The quokka census ran for a week.',
  url: 'https://wildlife.example.org/quokka-census?a=1&b=<b>2</b>',
};

function samplePosts(): Record<string, unknown>[] {
  return readFileSync(join(repo, 'deploy/sample-data/posts.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('dashboard in headless Chromium on a running pipeline', function () {
  this.timeout(420_000);
  const pipeline = new EmbeddedPipeline({ TRENDMILL_SAMPLE_DATA: 'off', TRENDMILL_DEFAULT_SOURCES: 'off' });
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    // A missing browser is a broken test machine, not a reason to skip the browser tier.
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
    await pipeline.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      colorScheme: 'light',
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    page.on('dialog', (dialog) => {
      pageErrors.push(`dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
    await pipeline.stop();
  });

  it('asks for the key, then goes live with an empty topic list', async () => {
    await page.goto(`${pipeline.base}/`);
    const dialog = page.locator('#key-dialog');
    await dialog.waitFor({ state: 'visible' });
    await page.fill('#key-input', 'tm_not-a-real-key');
    await page.click('#key-form button[type=submit]');
    await page.locator('#key-error', { hasText: 'refused' }).waitFor();
    // The refused key's 401 is the one error this test provokes on purpose.
    const provoked = pageErrors.findIndex((e) => e.includes('401 (Unauthorized)'));
    if (provoked >= 0) pageErrors.splice(provoked, 1);

    await page.fill('#key-input', pipeline.key);
    await page.press('#key-input', 'Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('#live-indicator[data-state="live"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#topic-list li').count()).to.equal(0);
    expect(await page.isVisible('#topics-empty')).to.equal(true);
    expect(await page.evaluate("sessionStorage.getItem('trendmill.apiKey')")).to.equal(pipeline.key);
  });

  it('shows topics appearing live, without a reload, as items are ingested', async () => {
    // A reload would drop this marker.
    await page.evaluate('window.__sameDocument = true');
    const posts = samplePosts();
    expect(posts.length).to.equal(160);
    const batches = [
      [HOSTILE_ITEM, ...posts.slice(0, 40)],
      posts.slice(40, 80),
      posts.slice(80, 120),
      posts.slice(120),
    ];
    let accepted = 0;
    for (const items of batches) {
      const result = await pipeline.post<BatchResult>('/ingest/batch', { items, source: 'browser-test' });
      expect(result.rejected, JSON.stringify(result)).to.equal(0);
      accepted += result.accepted;
      await sleep(1_500);
    }
    expect(accepted).to.equal(161);

    // Locator waits, not waitForFunction: the dashboard's CSP (rightly) refuses string evaluation.
    await page.locator('#topic-list li').nth(2).waitFor({ timeout: TOPICS_TIMEOUT_MS });
    expect(await page.evaluate('window.__sameDocument')).to.equal(true);
    expect(await page.isVisible('#topics-empty')).to.equal(false);
    const labels = await page.locator('#topic-list .topic-label').allTextContents();
    expect(
      labels.every((l) => l.trim().length > 0),
      labels.join(' | '),
    ).to.equal(true);
    // Sparklines arrive once the read model serves each topic's time series.
    await page.locator('#topic-list svg.sparkline polyline').nth(2).waitFor({ timeout: 60_000 });
    await page.locator('#stats', { hasText: 'items' }).waitFor();
    await page.locator('#source-list li').first().waitFor({ timeout: 70_000 });
  });

  it('opens a topic from the keyboard: keywords, activity and evidence', async () => {
    const first = page.locator('#topic-list .topic-link').first();
    const id = await first.getAttribute('data-id');
    await first.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.hash === `#topic/${encodeURIComponent(id!)}`);
    await page.locator('#detail').waitFor({ state: 'visible' });
    await page.locator('#detail-body .keyword').first().waitFor();
    await page.locator('#detail-body .evidence .item').first().waitFor();
    expect(await page.locator('#detail-body .keyword').count()).to.be.greaterThan(0);
    expect(await page.locator('#detail-body .evidence .item-title a').count()).to.be.greaterThan(0);
    expect(await page.locator('#detail-body svg.series-chart rect.bar').count()).to.be.greaterThan(0);
    expect(await page.locator('#detail-body .breakdown li').count()).to.be.greaterThan(0);
    expect(await first.getAttribute('aria-current')).to.equal('true');
    const heading = (await page.locator('#detail-heading').textContent()) ?? '';
    expect(heading).not.to.match(/loading|could not/i);

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`      screenshot: ${shot}`);
  });

  it('runs a hybrid search and shows hits', async () => {
    expect(await page.inputValue('#search-mode')).to.equal('hybrid');
    await page.fill('#search-q', 'marathon world record');
    await page.press('#search-q', 'Enter');
    await page.locator('#search-results').waitFor({ state: 'visible' });
    await page.locator('#results-body .hits li').first().waitFor({ timeout: 30_000 });
    const titles = await page.locator('#results-body .item-title').allTextContents();
    expect(
      titles.some((t) => /marathon/i.test(t)),
      titles.join(' | '),
    ).to.equal(true);
    expect(await page.isVisible('#detail')).to.equal(false);

    const shot = join(ARTIFACTS, 'search.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`      screenshot: ${shot}`);
  });

  it('renders markup in item text as text: no script runs, no javascript: link', async () => {
    await page.selectOption('#search-mode', 'fulltext');
    await page.fill('#search-q', 'quokka census');
    await page.press('#search-q', 'Enter');
    const hit = page.locator('#results-body .hits li', { hasText: 'Quokka census' }).first();
    await hit.waitFor({ timeout: 30_000 });
    const title = (await hit.locator('.item-title').textContent()) ?? '';
    expect(title).to.include('<img src=x onerror="window.__trendmillXss=1">');
    expect(await hit.locator('img').count()).to.equal(0);
    expect(
      await page
        .locator('#results-body script, #results-body img, #results-body a[href^="javascript"]')
        .count(),
    ).to.equal(0);
    expect(await page.evaluate('window.__trendmillXss')).to.equal(undefined);
  });

  it('logged no script error, CSP violation or dialog', () => {
    expect(pageErrors).to.deep.equal([]);
  });
});
