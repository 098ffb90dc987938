/* global document, CSS */
import { el, formatNumber, replaceChildren } from './dom.js';
import { sparkline } from './sparkline.js';

const STATUS_TEXT = {
  emerging: 'Emerging',
  active: 'Active',
  fading: 'Fading',
  retired: 'Retired',
  merged: 'Merged',
};

/** The short keyword line under a topic's label. */
export function keywordLine(keywords, count = 4) {
  return (keywords ?? [])
    .slice(0, count)
    .map((k) => k.term)
    .join(' · ');
}

export function statusBadge(status) {
  return el('span', {
    class: `badge status-${status in STATUS_TEXT ? status : 'unknown'}`,
    text: STATUS_TEXT[status] ?? status,
  });
}

/**
 * The topic list: what the API listed, plus topics announced by live events that the read model
 * has not served yet (the projection and the event log consume the same events independently).
 */
export function createTopicList({ list, empty, announcer }) {
  /** @type {Map<string, {summary: object, series?: object[], bucketSeconds?: number, seriesVersion?: number, live?: boolean}>} */
  const topics = new Map();
  let order = [];
  let selected;

  const row = (id) => {
    const topic = topics.get(id);
    const s = topic.summary;
    const link = el(
      'a',
      {
        class: 'topic-link',
        href: `#topic/${encodeURIComponent(id)}`,
        'aria-current': id === selected ? 'true' : undefined,
        dataset: { id },
      },
      el(
        'span',
        { class: 'topic-main' },
        el('span', { class: 'topic-label', text: s.label || keywordLine(s.keywords, 3) || 'Untitled topic' }),
        el('span', { class: 'topic-keywords', text: keywordLine(s.keywords) }),
      ),
      el(
        'span',
        { class: 'topic-trend' },
        topic.series
          ? sparkline(topic.series, { bucketSeconds: topic.bucketSeconds })
          : el('span', { class: 'spark-placeholder', 'aria-hidden': 'true' }),
      ),
      el(
        'span',
        { class: 'topic-meta' },
        statusBadge(s.status),
        el('span', { class: 'metric', text: `${formatNumber(s.size)} items` }),
        el('span', {
          class: 'metric',
          title: 'Emerging score',
          text: `score ${formatNumber(s.emergingScore, 2)}`,
        }),
      ),
    );
    return el(
      'li',
      { class: topic.live ? 'topic is-new' : 'topic', dataset: { id, status: s.status } },
      link,
    );
  };

  const render = () => {
    const focused = document.activeElement?.closest?.('.topic-link')?.dataset.id;
    replaceChildren(list, order.filter((id) => topics.has(id)).map(row));
    empty.hidden = order.length > 0;
    if (focused) list.querySelector(`.topic-link[data-id="${CSS.escape(focused)}"]`)?.focus();
  };

  return {
    /** Replaces the list with an API page, keeping live-only topics the read model has not caught up with. */
    setFromApi(summaries) {
      const listed = new Set(summaries.map((s) => s.id));
      const pending = order.filter((id) => !listed.has(id) && topics.get(id)?.live && !topics.get(id)?.gone);
      for (const s of summaries) {
        const known = topics.get(s.id);
        topics.set(s.id, { ...known, summary: s, live: false });
      }
      for (const id of [...topics.keys()]) if (!listed.has(id) && !pending.includes(id)) topics.delete(id);
      order = [...pending, ...summaries.map((s) => s.id)];
      render();
    },
    /** Applies a cluster event at once (label, keywords, size, score), before the read model has it. */
    applyEvent(kind, data) {
      const id = data?.clusterId;
      if (typeof id !== 'string') return;
      if (kind === 'merged' || kind === 'retired') {
        topics.delete(id);
        order = order.filter((o) => o !== id);
        render();
        return;
      }
      const known = topics.get(id);
      const summary = {
        ...(known?.summary ?? { id, status: 'emerging', velocity: 0 }),
        label: data.label,
        keywords: data.keywords,
        size: data.size,
        emergingScore: data.emergingScore,
        version: data.version,
        ...(data.status ? { status: data.status } : {}),
      };
      topics.set(id, { ...known, summary, live: !known || known.live });
      if (!known) {
        order = [id, ...order];
        announcer.textContent = `New topic: ${summary.label || keywordLine(summary.keywords, 3)}`;
      }
      render();
    },
    /** Topics whose sparkline is missing or older than their summary. */
    staleSeries() {
      return order.filter((id) => {
        const t = topics.get(id);
        return t && !t.live && t.seriesVersion !== t.summary.version;
      });
    },
    setSeries(id, version, series, bucketSeconds) {
      const t = topics.get(id);
      if (!t) return;
      Object.assign(t, { series, bucketSeconds, seriesVersion: version });
    },
    /** The label shown for a topic, when it is in the list. */
    labelOf(id) {
      const s = topics.get(id)?.summary;
      return s ? s.label || keywordLine(s.keywords, 3) : undefined;
    },
    select(id) {
      selected = id;
      for (const link of list.querySelectorAll('.topic-link'))
        if (link.dataset.id === id) link.setAttribute('aria-current', 'true');
        else link.removeAttribute('aria-current');
    },
    render,
    get size() {
      return order.length;
    },
  };
}
