export const ENTITIES_REFUSED = 'feed declares XML entities (DTD); refused for safety';

export type SafeXml = { xml: string; error?: undefined } | { error: string; xml?: undefined };

/**
 * Prepares feed XML for the parser in one linear pass, so that no DTD ever reaches it:
 * - a DOCTYPE whose internal subset declares entities is refused (billion laughs, quadratic blow-up,
 *   external entities / XXE): nothing legitimate in a feed needs them;
 * - any other DOCTYPE (`<!DOCTYPE rss PUBLIC ... "rss-0.91.dtd">`, `<!doctype html>`) is replaced by
 *   the newlines it spanned, so error line numbers stay right; external DTDs are never fetched;
 * - a bare `&` that starts no entity or character reference ("AT&T", `?a=1&b=2`), the most common
 *   feed bug, is escaped to `&amp;`.
 * Comments and CDATA sections are copied untouched, as the parser skips them too.
 */
export function makeXmlSafe(xml: string): SafeXml {
  const out: string[] = [];
  let i = 0;
  while (i < xml.length) {
    const open = xml.indexOf('<!', i);
    if (open === -1) {
      out.push(escapeBareAmpersands(xml.slice(i)));
      break;
    }
    out.push(escapeBareAmpersands(xml.slice(i, open)));
    if (xml.startsWith('<!--', open)) {
      i = endOf(xml, '-->', open + 4);
      out.push(xml.slice(open, i));
    } else if (xml.startsWith('<![', open)) {
      i = endOf(xml, ']]>', open + 3);
      out.push(xml.slice(open, i));
    } else if (xml.slice(open + 2, open + 9).toUpperCase() === 'DOCTYPE') {
      const doctype = readDoctype(xml, open);
      if (doctype === 'declares-entities') return { error: ENTITIES_REFUSED };
      if (doctype === 'unterminated') return { error: 'malformed XML: unterminated DOCTYPE' };
      out.push('\n'.repeat(countNewlines(xml, open, doctype)));
      i = doctype;
    } else {
      out.push('<!');
      i = open + 2;
    }
  }
  return { xml: out.join('') };
}

const BARE_AMPERSAND = /&(?!(?:[A-Za-z_:][\w.:-]*|#[0-9]+|#x[0-9A-Fa-f]+);)/g;

function escapeBareAmpersands(text: string): string {
  return text.includes('&') ? text.replace(BARE_AMPERSAND, '&amp;') : text;
}

/** Index just past `terminator`, or the end of the text when it never comes. */
function endOf(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at === -1 ? xml.length : at + terminator.length;
}

/**
 * Index just past the DOCTYPE starting at `open`, or why it cannot be kept. Quotes are honoured
 * only before the internal subset, like the parser does; inside it any `<!ENTITY` is enough.
 */
function readDoctype(xml: string, open: number): number | 'declares-entities' | 'unterminated' {
  let quote: string | null = null;
  let inSubset = false;
  for (let j = open + 9; j < xml.length; j++) {
    const c = xml[j];
    if (inSubset) {
      if (c === ']') inSubset = false;
      else if (c !== '<') continue;
      else if (xml.slice(j + 1, j + 8).toUpperCase() === '!ENTITY') return 'declares-entities';
      else if (xml.startsWith('<!--', j)) j = endOf(xml, '-->', j + 4) - 1;
    } else if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      inSubset = true;
    } else if (c === '>') {
      return j + 1;
    }
  }
  return 'unterminated';
}

function countNewlines(xml: string, from: number, to: number): number {
  let n = 0;
  for (let k = xml.indexOf('\n', from); k !== -1 && k < to; k = xml.indexOf('\n', k + 1)) n++;
  return n;
}
