import { el, formatNumber, replaceChildren } from './dom.js';
import { itemCard } from './topic-detail.js';

/** Search hits, each with its score and a link to its topic when it has one. */
export function renderSearchResults(heading, body, result) {
  heading.textContent = `Search: ${result.query}`;
  const hits = result.hits.map((hit) => {
    const extra = [' · ', el('span', { text: `score ${formatNumber(hit.score, 3)}` })];
    if (hit.item.clusterId)
      extra.push(
        ' · ',
        el('a', { href: `#topic/${encodeURIComponent(hit.item.clusterId)}`, text: 'open topic' }),
      );
    return el('li', {}, itemCard(hit.item, extra));
  });
  replaceChildren(
    body,
    el('p', {
      class: 'muted',
      text: `${hits.length} ${hits.length === 1 ? 'hit' : 'hits'}, ${result.mode} search${result.model ? ` (${result.model})` : ''}`,
    }),
    result.degraded
      ? el('p', { class: 'notice', role: 'note', text: `Full text only: ${result.degraded}` })
      : null,
    hits.length ? el('ol', { class: 'hits' }, hits) : el('p', { class: 'empty', text: 'Nothing matched.' }),
  );
}
