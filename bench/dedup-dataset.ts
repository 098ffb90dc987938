import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ItemCollectedLike } from '../services/normalizer/src/domain/index.js';

/**
 * A labelled near-duplicate set built, deterministically from a seed, out of the real texts in the
 * shared data folder (read at bench time, never copied into the repository).
 *
 * The corpus: dataset items, de-duplicated first (see SOURCE_DUPLICATE), each indexed as a collected item.
 * Queries, each checked against the whole corpus:
 * - positives, a variant of one corpus item, which must be reported as a duplicate of exactly that item:
 *   `edited` (1-3 word swaps / deletions / insertions / replacements, case and punctuation changes,
 *   half of them also a sentence added) and `syndicated` (the same text re-posted elsewhere: site name
 *   in the title, "Originally published at ..." boilerplate, tracking parameters on the URL, different
 *   markup; a third of them also lightly edited);
 * - negatives, a held-out dataset item, which must match nothing: `lookalike` (held-out items whose
 *   nearest same-label corpus item shares the most words: same topic, shared vocabulary) and `random`;
 * - `source-duplicate`: held-out items the dataset itself already holds (see SOURCE_DUPLICATE), which
 *   are neither positives nor negatives; reported, not scored.
 * With `siteTemplates`, every item is also wrapped in the template of one of a few sites (bylines,
 * share links, license notes, HN's "Points / # Comments"): a stress set where unrelated items of one
 * site share a block of text about as long as their own.
 */
export interface DedupCase {
  query: ItemCollectedLike;
  kind: 'edited' | 'syndicated' | 'lookalike' | 'random' | 'source-duplicate';
  /** The corpus item this is a copy of; undefined for negatives. */
  duplicateOf: string | undefined;
  /** Exact word-set Jaccard of the query's source text and its origin / nearest same-label corpus item. */
  sourceJaccard: number;
}

export interface DedupDataset {
  name: string;
  corpus: ItemCollectedLike[];
  cases: DedupCase[];
  /**
   * Held-out items dropped from the negatives because the dataset already holds the same text (see
   * SOURCE_DUPLICATE); kept as cases of kind 'source-duplicate' so the bench can say how many of
   * them a method flags, but never counted in precision or recall.
   */
  excludedSourceDuplicates: number;
}

export interface DatasetOptions {
  dataDir: string;
  seed: number;
  corpusSize: number;
  positives: number;
  negatives: number;
  /** Wrap items in per-site templates (bylines, share links, ...); off for the acceptance set. */
  siteTemplates?: boolean;
}

/**
 * Two dataset items sharing at least half of their combined distinct words (or one holding 80 % of the
 * other's) are the same story or the same templated page in the source data (AG News carries the same
 * wire story from several feeds, search snippets carry pages of one template), so they are neither
 * distinct corpus items nor valid negatives. This is the only filter, applied on exact word sets.
 */
const SOURCE_DUPLICATE = { jaccard: 0.5, containment: 0.8 };

interface SourceItem {
  id: string;
  label: string;
  words: string[];
  set: Set<string>;
  /** Which site template wraps it (see TEMPLATES), chosen once per item. */
  template: number;
}

export function buildDedupDataset(name: string, options: DatasetOptions): DedupDataset {
  const random = mulberry32(options.seed ^ hashName(name));
  const rows = readItems(path.join(options.dataDir, name, 'items.jsonl'));
  shuffle(rows, random);
  // Every item gets a site (always drawn, so the rest of the set is the same with templates on or off).
  for (const row of rows) {
    const template = Math.floor(random() * TEMPLATES.length);
    row.template = options.siteTemplates ? template : 0;
  }
  const vocabulary = rows.flatMap((row) => row.words);

  const corpus: SourceItem[] = [];
  const postings = new Map<string, number[]>();
  // Small sets (tweet) keep at least 40 % of their items back for negatives.
  const corpusSize = Math.min(options.corpusSize, Math.floor(rows.length * 0.6));
  let cursor = 0;
  for (; cursor < rows.length && corpus.length < corpusSize; cursor++) {
    const row = rows[cursor]!;
    if (nearestInCorpus(row, corpus, postings, () => true).duplicate) continue;
    row.set.forEach((word) => (postings.get(word) ?? postings.set(word, []).get(word)!).push(corpus.length));
    corpus.push(row);
  }

  const cases: DedupCase[] = [];
  const origins = shuffle([...corpus], random).slice(0, options.positives);
  origins.forEach((origin, i) => {
    const kind = i % 2 === 0 ? 'edited' : 'syndicated';
    const variant =
      kind === 'edited' ? editedCopy(origin, random, vocabulary) : syndicatedCopy(origin, random, vocabulary);
    const id = `${origin.id}~${kind}`;
    cases.push({
      // Edited on the same site (same template); syndicated on another site (another template).
      query:
        kind === 'edited'
          ? toCollected(id, variant, random, 'restyled', origin.template)
          : toCollected(
              id,
              variant,
              random,
              'syndicated',
              options.siteTemplates ? (origin.template + 1) % TEMPLATES.length : 0,
            ),
      kind,
      duplicateOf: origin.id,
      sourceJaccard: jaccard(origin.set, new Set(variant)),
    });
  });

  // Held-out items; the look-alikes are the half of a candidate pool closest to a same-label corpus item.
  const pool: Array<{ row: SourceItem; nearest: number }> = [];
  let excluded = 0;
  for (; cursor < rows.length && pool.length < options.negatives * 2; cursor++) {
    const row = rows[cursor]!;
    const nearest = nearestInCorpus(row, corpus, postings, () => true);
    if (nearest.duplicate) {
      excluded++;
      cases.push({
        query: toCollected(row.id, row.words, random, 'plain', row.template),
        kind: 'source-duplicate',
        duplicateOf: undefined,
        sourceJaccard: nearest.jaccard,
      });
      continue;
    }
    const sameLabel = nearestInCorpus(row, corpus, postings, (item) => item.label === row.label);
    pool.push({ row, nearest: sameLabel.jaccard });
  }
  const negatives = Math.min(options.negatives, pool.length);
  const ranked = [...pool].sort((a, b) => b.nearest - a.nearest);
  const lookalikes = ranked.slice(0, Math.floor(negatives / 2));
  const randoms = shuffle(ranked.slice(lookalikes.length), random).slice(0, negatives - lookalikes.length);
  for (const [kind, picks] of [
    ['lookalike', lookalikes],
    ['random', randoms],
  ] as const) {
    for (const { row, nearest } of picks) {
      cases.push({
        query: toCollected(row.id, row.words, random, 'plain', row.template),
        kind,
        duplicateOf: undefined,
        sourceJaccard: nearest,
      });
    }
  }
  return {
    name,
    corpus: corpus.map((row) => toCollected(row.id, row.words, random, 'plain', row.template)),
    cases: shuffle(cases, random),
    excludedSourceDuplicates: excluded,
  };
}

function readItems(file: string): SourceItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string; label: string })
    .map(({ id, text, label }) => {
      const words = text.split(/\s+/).filter(Boolean);
      return { id, label, words, set: new Set(words), template: 0 };
    })
    .filter((row) => row.words.length > 0);
}

function nearestInCorpus(
  row: SourceItem,
  corpus: SourceItem[],
  postings: Map<string, number[]>,
  accept: (item: SourceItem) => boolean,
): { jaccard: number; duplicate: boolean } {
  const shared = new Map<number, number>();
  for (const word of row.set)
    for (const i of postings.get(word) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
  let best = 0;
  let duplicate = false;
  for (const [i, common] of shared) {
    const item = corpus[i]!;
    const j = common / (row.set.size + item.set.size - common);
    const containment = common / Math.min(row.set.size, item.set.size);
    if (j >= SOURCE_DUPLICATE.jaccard || containment >= SOURCE_DUPLICATE.containment) duplicate = true;
    if (accept(item) && j > best) best = j;
  }
  return { jaccard: best, duplicate };
}

// ---- variants -------------------------------------------------------------------------------------

const SITES = [
  'Reuters',
  'The Daily Ledger',
  'TechCrunch',
  'Yahoo News',
  'MarketWatch',
  'BBC News',
  'Medium',
];
const TITLE_SUFFIXES = [' - %s', ' | %s', ' — %s', ' :: %s'];
const BOILERPLATE = [
  'Originally published at %s. Subscribe to our newsletter for more stories like this.',
  'This article first appeared on %s. Read more at %s.',
  '© 2024 %s. All rights reserved. Follow us on Twitter and Facebook.',
  'Read the full story at %s. Sign up for our daily briefing.',
];
const TRACKING = [
  'utm_source=twitter&utm_medium=social',
  'fbclid=IwAR0x9',
  'utm_campaign=feed&gclid=abc123',
  'ref_src=twsrc',
];

/**
 * What sites put around every item's text (bylines, captions, share links, license notes, HN's
 * "Points / # Comments"): items of one site share it, so unrelated items look alike through it.
 */
const TEMPLATES: Array<(id: string) => [string, string]> = [
  () => ['', ''],
  () => ['<p class="byline">By Staff Writer · 3 min read</p>', '<p>Share on Facebook</p><p>Share on X</p>'],
  () => [
    '<figure><figcaption>Photo: Example Photo Agency</figcaption></figure>',
    '<p>Related: more world news</p><p>Comments</p>',
  ],
  () => ['', '<p>The post appeared first on The Daily Ledger.</p>'],
  () => [
    '<p>Sign up for the Daily Briefing newsletter</p>',
    '<p><small>This article was produced by the Ledger newsroom and is distributed under a Creative Commons license.</small></p>',
  ],
  (id) => [
    '',
    `<p>Comments URL: <a href="https://news.ycombinator.com/item?id=${id}">https://news.ycombinator.com/item?id=${id}</a></p><p>Points: 12</p><p># Comments: 3</p>`,
  ],
];

/** Returns the variant's words, title first (toCollected splits them again). */
/**
 * 1-3 word edits; half of the time also a sentence added at the end: 6-11 consecutive words of the
 * dataset's running text (the data has no natural sentences: stop words and punctuation were removed).
 */
function editedCopy(origin: SourceItem, random: () => number, vocabulary: string[]): string[] {
  const words = smallEdits(origin.words, 1 + Math.floor(random() * 3), random, vocabulary);
  if (random() < 0.5) {
    const start = Math.floor(random() * (vocabulary.length - 12));
    words.push(...vocabulary.slice(start, start + 6 + Math.floor(random() * 6)));
  }
  return words;
}

/** The words of a syndicated copy (boilerplate comes in toCollected); a third are lightly edited too. */
function syndicatedCopy(origin: SourceItem, random: () => number, vocabulary: string[]): string[] {
  return random() < 1 / 3
    ? smallEdits(origin.words, 1 + Math.floor(random() * 2), random, vocabulary)
    : [...origin.words];
}

function smallEdits(source: string[], count: number, random: () => number, vocabulary: string[]): string[] {
  const words = [...source];
  for (let n = 0; n < count; n++) {
    const at = Math.floor(random() * words.length);
    const op = Math.floor(random() * 4);
    const word = vocabulary[Math.floor(random() * vocabulary.length)]!;
    if (op === 0 && at + 1 < words.length) [words[at], words[at + 1]] = [words[at + 1]!, words[at]!];
    else if (op === 1 && words.length > 3) words.splice(at, 1);
    else if (op === 2) words.splice(at, 0, word);
    else words[at] = word;
  }
  return words;
}

/**
 * A collected item from words: the first words are the title (the datasets join title and body), the
 * rest the body. `restyled` changes case and punctuation; `syndicated` adds a site suffix to the title,
 * boilerplate to the body, tracking parameters to the URL and wraps it in other markup.
 */
function toCollected(
  id: string,
  words: string[],
  random: () => number,
  style: 'plain' | 'restyled' | 'syndicated',
  template: number,
): ItemCollectedLike {
  const titleLength = Math.min(10, Math.max(3, Math.round(words.length * 0.35)));
  let title = sentenceCase(words.slice(0, titleLength));
  const body = words.slice(titleLength);
  let content = `<p>${sentenceCase(body)}.</p>`;
  let url = `https://news.example.com/${id}`;
  if (style === 'restyled') {
    title = words
      .slice(0, titleLength)
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' ');
    const punctuated = body.map((word) =>
      random() < 0.12 ? `${word},` : random() < 0.05 ? `“${word}”` : word,
    );
    const text = sentenceCase(punctuated);
    content = random() < 0.5 ? `<p>${text}&nbsp;...</p>` : `<p><strong>${text.toUpperCase()}</strong>!</p>`;
  } else if (style === 'syndicated') {
    const site = pick(SITES, random);
    title += pick(TITLE_SUFFIXES, random).replace('%s', site);
    const boilerplate = pick(BOILERPLATE, random).replaceAll('%s', site);
    content = `<div class="entry"><p>${sentenceCase(body)}!</p><p><em>${boilerplate}</em></p></div>`;
    url = `https://${site.toLowerCase().replace(/\W+/g, '')}.example.net/syndicated/${encodeURIComponent(id)}?${pick(TRACKING, random)}`;
  }
  const [before, after] = TEMPLATES[template]!(id);
  content = `${before}${content}${after}`;
  return {
    itemId: id,
    sourceId: style === 'syndicated' ? 'syndicated' : 'dataset',
    sourceType: 'bench',
    externalId: id,
    url,
    title,
    content,
    collectedAt: '2024-06-01T12:00:00.000Z',
    publishedAt: '2024-06-01T11:00:00.000Z',
  };
}

function sentenceCase(words: string[]): string {
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const word of a) if (b.has(word)) common++;
  return common / (a.size + b.size - common || 1);
}

// ---- seeded randomness ----------------------------------------------------------------------------

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
