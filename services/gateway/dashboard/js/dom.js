/* global document, Node */
// Every piece of API text reaches the page through text nodes or attribute values: item titles
// and snippets come from the open web and may contain markup or script.

/**
 * Creates an element. `text` sets textContent, `class` the class name, `on<event>` a listener,
 * `dataset` data attributes; other props become attributes (names are never data).
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...(Node | string | number | null | undefined | false | Array<unknown>)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = String(value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function')
      node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends nodes and strings (as text) to a parent. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces a node's children. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** The URL when it is http(s), else undefined: a `javascript:` link from a feed must not become a link. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** An outbound link that leaks no referrer and gets no handle on this page. */
export function externalLink(href, text) {
  const safe = safeHttpUrl(href);
  if (!safe) return el('span', { text });
  return el('a', { href: safe, text, rel: 'noopener noreferrer nofollow', target: '_blank' });
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 hours ago", with the exact time in a <time> element. */
export function timeAgo(iso, now = Date.now()) {
  if (!iso) return el('span', { text: '—' });
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return el('span', { text: '—' });
  const seconds = (at - now) / 1000;
  let label = 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      label = relative.format(Math.round(seconds / size), unit);
      break;
    }
  }
  return el('time', {
    datetime: new Date(at).toISOString(),
    title: new Date(at).toLocaleString(),
    text: label,
  });
}

/** A number for people: 1234 → "1,234", 0.4567 → "0.46". */
export function formatNumber(value, digits = 0) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
