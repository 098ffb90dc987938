import { el, externalLink, formatNumber, replaceChildren, timeAgo } from './dom.js';
import { seriesChart } from './sparkline.js';
import { statusBadge } from './topics.js';

const SOURCE_TYPES = {
  rss: 'RSS',
  atom: 'Atom',
  rdf: 'RDF',
  jsonfeed: 'JSON Feed',
  reddit: 'Reddit',
  hackernews: 'Hacker News',
  push: 'Ingest API',
  jsonl: 'Import',
};

export const sourceTypeName = (type) => SOURCE_TYPES[type] ?? type;

/** One item (evidence or search hit): title link, snippet, source and time. */
export function itemCard(item, extra = []) {
  return el(
    'article',
    { class: 'item' },
    el(
      'h4',
      { class: 'item-title' },
      externalLink(item.url, item.title || item.snippet.slice(0, 80) || 'Untitled'),
    ),
    item.snippet ? el('p', { class: 'item-snippet', text: item.snippet }) : null,
    el(
      'p',
      { class: 'item-meta' },
      el('span', { text: sourceTypeName(item.sourceType) }),
      ' · ',
      timeAgo(item.publishedAt),
      item.language ? ` · ${item.language}` : null,
      item.duplicateCount > 0 ? ` · ${item.duplicateCount} re-posts` : null,
      extra,
    ),
  );
}

/** The topic detail: keywords, time series, evidence and where it came from. */
export function renderTopicDetail(heading, body, cluster) {
  heading.textContent = cluster.label || 'Untitled topic';
  const maxWeight = Math.max(1e-9, ...cluster.keywords.map((k) => k.weight));
  replaceChildren(
    body,
    el(
      'dl',
      { class: 'facts' },
      el('div', {}, el('dt', { text: 'Status' }), el('dd', {}, statusBadge(cluster.status))),
      el('div', {}, el('dt', { text: 'Items' }), el('dd', { text: formatNumber(cluster.size) })),
      el(
        'div',
        {},
        el('dt', { text: 'Emerging score' }),
        el('dd', { text: formatNumber(cluster.emergingScore, 2) }),
      ),
      el(
        'div',
        {},
        el('dt', { text: 'Velocity' }),
        el('dd', { text: `${formatNumber(cluster.velocity, 1)} / h` }),
      ),
      el('div', {}, el('dt', { text: 'First seen' }), el('dd', {}, timeAgo(cluster.createdAt))),
      el('div', {}, el('dt', { text: 'Latest item' }), el('dd', {}, timeAgo(cluster.lastItemAt))),
    ),
    el('h3', { text: 'Keywords' }),
    el(
      'ul',
      { class: 'keywords' },
      cluster.keywords.map((k) =>
        el('li', {
          class: 'keyword',
          text: k.term,
          title: `weight ${formatNumber(k.weight, 3)}`,
          dataset: { strength: String(Math.ceil((k.weight / maxWeight) * 3)) },
        }),
      ),
    ),
    el('h3', { text: 'Activity' }),
    el(
      'figure',
      { class: 'chart' },
      seriesChart(cluster.timeSeries, { bucketSeconds: cluster.bucketSeconds }),
    ),
    el('h3', { text: 'Evidence' }),
    cluster.evidence.length
      ? el(
          'div',
          { class: 'evidence' },
          cluster.evidence.map((e) =>
            itemCard(e.item, [' · ', el('span', { text: `similarity ${formatNumber(e.similarity, 2)}` })]),
          ),
        )
      : el('p', { class: 'empty', text: 'No evidence items yet.' }),
    el('h3', { text: 'Sources' }),
    el(
      'ul',
      { class: 'breakdown' },
      cluster.sources.map((s) =>
        el(
          'li',
          {},
          el('span', { text: sourceTypeName(s.sourceType) }),
          el('span', { class: 'muted', text: s.sourceId }),
          el('span', { class: 'count', text: formatNumber(s.count) }),
        ),
      ),
    ),
    cluster.languages.length
      ? el('p', {
          class: 'muted',
          text: `Languages: ${cluster.languages.map((l) => `${l.language} (${l.count})`).join(', ')}`,
        })
      : null,
  );
}
