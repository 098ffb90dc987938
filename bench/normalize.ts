import { sharedDataDir } from './data-dir.js';
import { serviceThroughput } from './normalize-service.js';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  InMemoryNearDuplicateStore,
  NearDuplicateIndex,
  normalizeItem,
  type ItemCollectedLike,
} from '../services/normalizer/src/domain/index.js';
import { mulberry32 } from './dedup-dataset.js';
import { machine } from './machine.js';

/**
 * Normalized items per second for one normalizer (one thread): normalizeItem (HTML to text, canonical
 * URL, language, publish time, content hash, SimHash) plus the near-duplicate check (MinHash
 * fingerprint, lookup, add) against the in-memory store, over realistic HTML items built from the
 * shared data's texts: several dataset texts per article, wrapped in markup with links, tracking
 * parameters, scripts, styles, images, entities; one in ten is a syndicated copy of an earlier one.
 *
 * Args: [items=4000] [rounds=3]; TRENDMILL_DATA_DIR overrides the data folder.
 */
const DATASETS = ['agnews-8000', 'searchsnippets', 'stackoverflow'];
const NOW = new Date('2024-06-01T12:00:00.000Z');

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 4000);
  const rounds = Number(args[1] ?? 3);
  const dataDir = sharedDataDir();
  const items = buildItems(count, dataDir, 11);
  const bytes = items.reduce((sum, item) => sum + (item.content?.length ?? 0) + item.title.length, 0);

  await pass(items.slice(0, Math.min(500, count)), true); // warm-up: JIT, tinyld profiles
  const timings: Array<{
    seconds: number;
    normalizeOnlySeconds: number;
    duplicates: number;
    failed: number;
  }> = [];
  for (let round = 0; round < rounds; round++) {
    const normalizeOnly = await pass(items, false);
    const full = await pass(items, true);
    timings.push({ ...full, normalizeOnlySeconds: normalizeOnly.seconds });
    console.log(
      JSON.stringify({
        bench: 'normalize',
        round: round + 1,
        items: count,
        seconds: round3(full.seconds),
        items_per_s: Math.round(count / full.seconds),
        normalize_only_items_per_s: Math.round(count / normalizeOnly.seconds),
        near_duplicates_found: full.duplicates,
        failed: full.failed,
      }),
    );
  }
  const best = timings.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  // The same items through one real normalizer service: Postgres transaction, outbox and relay per batch.
  const service = await serviceThroughput(items.slice(0, Math.min(2000, count)));
  console.log(JSON.stringify({ bench: 'normalize', service_on_postgres: service }));
  console.log(
    JSON.stringify({
      bench: 'normalize',
      summary: true,
      items: count,
      mean_html_bytes: Math.round(bytes / count),
      seconds: round3(best.seconds),
      items_per_s: Math.round(count / best.seconds),
      normalize_only_items_per_s: Math.round(count / Math.min(...timings.map((t) => t.normalizeOnlySeconds))),
      rounds,
      best_of: rounds,
      all_rounds_items_per_s: timings.map((t) => Math.round(count / t.seconds)),
      near_duplicates_found: best.duplicates,
      failed: best.failed,
      includes: 'normalizeItem + near-duplicate check (fingerprint, lookup, add) with the in-memory store',
      service_on_postgres_items_per_s: service.items_per_s,
      service_includes:
        'one normalizer service: consume item.collected, one Postgres transaction and advisory-lock hold per batch of up to 64 items (dedup lookups, fingerprint + bands, outbox), relay publish',
      // The machine may be shared: a busy one makes the figure lower, never higher.
      load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
      machine: machine(),
    }),
  );
}

/** One pass over all items with a fresh index, as one normalizer would process them. */
async function pass(items: ItemCollectedLike[], withIndex: boolean) {
  const index = new NearDuplicateIndex(new InMemoryNearDuplicateStore());
  let duplicates = 0;
  let failed = 0;
  const started = performance.now();
  for (const collected of items) {
    const result = normalizeItem(collected, NOW);
    if (!result.ok) {
      failed++;
      continue;
    }
    if (withIndex) {
      const found = await index.check(
        collected.itemId,
        index.fingerprint(result.item.title, result.item.text),
      );
      if (found) duplicates++;
    }
  }
  return { seconds: (performance.now() - started) / 1000, duplicates, failed };
}

function buildItems(count: number, dataDir: string, seed: number): ItemCollectedLike[] {
  const random = mulberry32(seed);
  const texts = DATASETS.flatMap((name) =>
    readFileSync(path.join(dataDir, name, 'items.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
  const pickText = () => texts[Math.floor(random() * texts.length)]!;
  const items: ItemCollectedLike[] = [];
  for (let i = 0; i < count; i++) {
    const earlier = items[Math.floor(random() * items.length)];
    if (earlier && random() < 0.1) {
      items.push({
        ...earlier,
        itemId: `item-${i}`,
        externalId: `ext-${i}`,
        title: `${earlier.title} | Daily Ledger`,
        content: `${earlier.content}<p><em>Originally published at Daily Ledger. Subscribe &amp; save.</em></p>`,
        url: `https://dailyledger.example.org/s/${i}?utm_source=rss&utm_medium=feed&fbclid=x${i}`,
      });
      continue;
    }
    const paragraphs = Array.from({ length: 3 + Math.floor(random() * 6) }, pickText);
    const [lead = '', ...rest] = paragraphs;
    const words = lead.split(' ');
    items.push({
      itemId: `item-${i}`,
      sourceId: `source-${i % 17}`,
      sourceType: 'rss',
      externalId: `ext-${i}`,
      url: `https://news.example.com/${i}/${words.slice(0, 4).join('-')}?utm_source=rss&ref_src=twsrc&page=1#comments`,
      title: `${capitalise(words.slice(0, 8).join(' '))} &amp; more &#8211; <b>live</b>`,
      content: article(words, rest, i),
      author: i % 5 === 0 ? null : `Jane Doe &lt;jane@example.com&gt;`,
      publishedAt:
        i % 13 === 0
          ? 'Sat, 01 Jun 2024 10:15:00 GMT'
          : i % 29 === 0
            ? '2999-01-01T00:00:00Z'
            : '2024-06-01T10:15:00Z',
      collectedAt: '2024-06-01T11:59:00.000Z',
      language: i % 3 === 0 ? 'en-US' : null,
    });
  }
  return items;
}

function article(lead: string[], paragraphs: string[], i: number): string {
  const half = Math.ceil(lead.length / 2);
  return [
    `<article class="post" data-id="${i}"><header><p class="byline">By <a href="https://news.example.com/authors/jane?utm_source=rss">Jane Doe</a> &middot; 3&nbsp;min read</p></header>`,
    `<script type="text/javascript">window.dataLayer = window.dataLayer || []; dataLayer.push({ event: 'view', id: ${i} });</script>`,
    '<style>.post p { margin: 0 0 1em; } .ad { display: none; }</style>',
    `<p>${capitalise(lead.slice(0, half).join(' '))} &mdash; <a href="https://example.com/related/${i}?fbclid=abc&amp;gclid=def">${lead.slice(half, half + 3).join(' ')}</a> ${lead.slice(half + 3).join(' ')}&hellip;</p>`,
    `<figure><img src="https://cdn.example.com/img/${i}.jpg" alt="Photo: illustration" width="640"><figcaption>&copy; Example Photo Agency</figcaption></figure>`,
    ...paragraphs.map((text, n) =>
      n === 1 ? `<blockquote>&ldquo;${text}&rdquo;</blockquote>` : `<p>${capitalise(text)}.</p>`,
    ),
    '<ul><li>Related: <a href="/more">more stories</a></li><li>Share on <a href="https://twitter.com/intent">X</a></li></ul>',
    '<iframe src="https://www.youtube.com/embed/xyz" width="560" height="315"></iframe>',
    '<noscript><img src="https://pixel.example.com/p.gif"></noscript></article>',
  ].join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round3(value: number): number {
  return Number(value.toFixed(3));
}
