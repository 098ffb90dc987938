import { el, formatNumber, replaceChildren, timeAgo } from './dom.js';

/** A source's name as people know it. */
export function sourceName(s) {
  return (
    s.name || s.label || s.url || (s.subreddit ? `r/${s.subreddit}` : s.list ? `Hacker News ${s.list}` : s.id)
  );
}

/** Source health: one row per source with its health figures (a row without them says so). */
export function renderSources(list, empty, rows) {
  empty.hidden = rows.length > 0;
  replaceChildren(
    list,
    rows.map(({ source, health }) => {
      const ok = health && !health.error ? health.healthy !== false : source.consecutiveFailures === 0;
      const state = source.status === 'paused' ? 'paused' : ok ? 'healthy' : 'failing';
      const lastError = health?.lastError ?? source.lastError;
      return el(
        'li',
        { class: `source source-${state}`, dataset: { id: source.id } },
        el(
          'div',
          { class: 'source-head' },
          el('span', { class: `badge health-${state}`, text: state[0].toUpperCase() + state.slice(1) }),
          el('span', { class: 'source-name', text: sourceName(source) }),
          el('span', { class: 'muted', text: source.type }),
        ),
        el(
          'p',
          { class: 'source-meta' },
          health && !health.error
            ? [
                `${formatNumber(health.itemsLast24h ?? 0)} items in 24 h`,
                ' · ',
                'last success ',
                timeAgo(health.lastSuccessAt),
              ]
            : 'health unavailable',
          source.consecutiveFailures > 0 ? ` · ${source.consecutiveFailures} failures in a row` : null,
        ),
        lastError && state !== 'healthy' ? el('p', { class: 'source-error', text: lastError }) : null,
      );
    }),
  );
}
