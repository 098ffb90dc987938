#!/usr/bin/env node
/**
 * Writes stackoverflow-demo.jsonl next to this file: 3,000 real StackOverflow question titles
 * (a sample of the shared StackOverflow clustering set, 20 tags) given publish times over one week
 * so that, on the dashboard of `make run`, some topics visibly emerge, some fade and some stay
 * steady. Deterministic: the same input gives the same file.
 *
 *   node deploy/sample-data/generate-stackoverflow.mjs [path/to/stackoverflow/items.jsonl]
 *
 * Default input: ../shared/data/stackoverflow/items.jsonl beside the repository.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('./stackoverflow-demo.jsonl', import.meta.url));
const INPUT =
  process.argv[2] ??
  fileURLToPath(new URL('../../../shared/data/stackoverflow/items.jsonl', import.meta.url));

/** The set's label codes, matched to tags (see the data set's README). */
const TAGS = {
  1: 'wordpress',
  2: 'oracle',
  3: 'svn',
  4: 'apache',
  5: 'excel',
  6: 'matlab',
  7: 'visual-studio',
  8: 'cocoa',
  9: 'osx',
  10: 'bash',
  11: 'spring',
  12: 'hibernate',
  13: 'scala',
  14: 'sharepoint',
  15: 'ajax',
  16: 'qt',
  17: 'drupal',
  18: 'linq',
  19: 'haskell',
  20: 'magento',
};

/**
 * How each tag's posts spread over the week: a density over t ∈ [0, 1] (0 = a week ago, 1 = now)
 * and how many posts it gets. Shapes were chosen so the demo shows every trend state.
 */
const SHAPES = {
  growing: { posts: 200, density: (t) => 0.1 + t * t * 3 },
  new: { posts: 160, density: (t) => (t > 0.8 ? 1 : 0) },
  fading: { posts: 150, density: (t) => Math.max(0.02, 1 - t) ** 2 },
  burst: { posts: 140, density: (t) => Math.exp(-(((t - 0.45) / 0.08) ** 2)) + 0.02 },
  steady: { posts: 140, density: () => 1 },
};
const TAG_SHAPE = {
  haskell: 'growing',
  scala: 'growing',
  matlab: 'growing',
  magento: 'new',
  svn: 'fading',
  osx: 'fading',
  oracle: 'fading',
  sharepoint: 'fading',
  spring: 'burst',
};

const WEEK_MS = 7 * 24 * 3_600_000;
const END = Date.parse('2026-11-30T12:00:00Z');

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261205);

/** A time in [0, 1] drawn from `density` by rejection sampling. */
function drawTime(density) {
  let max = 0;
  for (let i = 0; i <= 100; i++) max = Math.max(max, density(i / 100));
  for (;;) {
    const t = random();
    if (random() * max <= density(t)) return t;
  }
}

const byLabel = new Map();
for (const line of readFileSync(INPUT, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const { id, text, label } = JSON.parse(line);
  if (!byLabel.has(label)) byLabel.set(label, []);
  byLabel.get(label).push({ id, text: text.trim() });
}

const posts = [];
for (const [label, rows] of [...byLabel].sort((a, b) => Number(a[0]) - Number(b[0]))) {
  const tag = TAGS[label];
  const shape = SHAPES[TAG_SHAPE[tag] ?? 'steady'];
  // A deterministic spread of the tag's titles, not the first ones in source order.
  const chosen = rows
    .map((row) => ({ row, key: random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, shape.posts)
    .map((r) => r.row);
  for (const row of chosen) {
    const at = END - WEEK_MS + Math.round(drawTime(shape.density) * WEEK_MS);
    posts.push({
      externalId: `so-demo-${row.id.slice(3)}`,
      title: row.text,
      url: `https://stackoverflow.example.com/questions/${Number(row.id.slice(3))}`,
      publishedAt: new Date(Math.floor(Math.min(at, END) / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      language: 'en',
      metadata: { sampleTopic: tag, sampleTrend: TAG_SHAPE[tag] ?? 'steady' },
    });
  }
}
posts.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.externalId.localeCompare(b.externalId));
writeFileSync(OUT, posts.map((p) => JSON.stringify(p)).join('\n') + '\n');
console.log(`wrote ${posts.length} posts to ${OUT}`);
