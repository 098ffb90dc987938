import { compile, type HtmlToTextOptions } from 'html-to-text';

/** Longest body kept: enough for search and any embedding model's window, bounded for the event size. */
export const MAX_TEXT_CHARS = 20_000;
/** Titles are one line; longer ones are truncated on a word boundary. */
export const MAX_TITLE_CHARS = 300;
/** HTML beyond this is not parsed at all (bounds the work a single hostile item can cause). */
export const MAX_HTML_CHARS = 1_000_000;

const SKIPPED = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'picture',
  'img',
  'map',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'nav',
];

const options: HtmlToTextOptions = {
  wordwrap: false,
  decodeEntities: true,
  limits: { maxInputLength: MAX_HTML_CHARS + 1, ellipsis: '' },
  selectors: [
    // Keep what a link says, drop where it points.
    { selector: 'a', options: { ignoreHref: true } },
    ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    // List items as plain lines (an empty prefix would fall back to ' * '; spaces are trimmed later).
    { selector: 'ul', options: { itemPrefix: ' ' } },
    { selector: 'ol', format: 'unorderedList', options: { itemPrefix: ' ' } },
    { selector: 'blockquote', format: 'block' },
    { selector: 'hr', format: 'skip' },
    // Cells on their own lines, so neighbouring cells never glue into one word.
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
  ],
};
const convert = compile(options);

/**
 * HTML (or plain text) to clean plain text: markup, scripts, styles, images and link targets removed,
 * entities decoded, one paragraph per line, runs of spaces collapsed, truncated on a word boundary.
 */
export function htmlToText(html: string, maxChars = MAX_TEXT_CHARS): string {
  if (typeof html !== 'string' || html === '') return '';
  const text = convert(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  return truncateOnWord(neutraliseMarkup(collapseWhitespace(text)), maxChars);
}

/** A title (possibly with markup or entities) as one clean line. */
export function cleanTitle(title: string, maxChars = MAX_TITLE_CHARS): string {
  return truncateOnWord(htmlToText(title, Number.MAX_SAFE_INTEGER).replace(/\n/g, ' '), maxChars);
}

/**
 * Unicode spaces and control characters become one ' ', invisible characters go, lines are trimmed
 * and blank lines dropped.
 */
export function collapseWhitespace(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((line) => line.replace(/[\p{Zs}\p{Cc}]+/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * At most `maxChars` characters, cut at the last whitespace before the limit (unless that would throw
 * away more than 40 % of it, as with one very long word) and marked with an ellipsis.
 */
export function truncateOnWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= 1) return text.slice(0, Math.max(0, maxChars));
  let cut = maxChars - 1;
  if (isLowSurrogate(text.charCodeAt(cut))) cut--;
  const space = text.slice(0, cut + 1).search(/\s\S*$/);
  if (space >= maxChars * 0.6) cut = space;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * The text is plain text, but it ends up next to HTML (dashboards, webhooks); an entity-encoded tag in
 * the source decodes to a real one, so the active ones are defused with a look-alike bracket.
 */
function neutraliseMarkup(text: string): string {
  // `<script` in any form (even `<script0`, which no browser runs) so that no output ever contains it.
  return text.replace(
    /<(?=\/?\s*(?:script|style|(?:iframe|object|embed|svg|math|template|noscript|link|meta|base)\b))/gi,
    '‹',
  );
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
