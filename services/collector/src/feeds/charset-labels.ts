import iconv from 'iconv-lite';

// Per the WHATWG Encoding Standard every Latin-1 / ASCII label means windows-1252: the two agree on
// every byte except 0x80–0x9F, where ISO-8859-1 has unused C1 controls and windows-1252 has the smart
// quotes, dashes and € that feeds labelled "ISO-8859-1" actually contain.
const WINDOWS_1252_LABELS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'iso_8859-1:1987',
  'iso-ir-100',
  'latin1',
  'l1',
  'cp819',
  'ibm819',
  'csisolatin1',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'cp1252',
  'x-cp1252',
  'windows-1252',
]);

/** A charset label as iconv-lite knows it, lower-cased and with Latin-1 folded into windows-1252; null if unknown. */
export function normalizeCharset(label: string): string | null {
  const name = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (!name) return null;
  if (WINDOWS_1252_LABELS.has(name)) return 'windows-1252';
  if (name === 'utf8') return 'utf-8';
  return iconv.encodingExists(name) ? name : null;
}

export function isUnicodeCharset(charset: string): boolean {
  return /^(utf|ucs|unicode)/.test(charset);
}

/** The charset parameter of a Content-Type header, normalized; null when absent or unknown. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  const label = match?.[1] ?? match?.[2];
  return label ? normalizeCharset(label) : null;
}

/** The encoding named by an `<?xml ... encoding="..."?>` declaration at the start of the bytes. */
export function charsetFromXmlDeclaration(body: Buffer): string | null {
  const head = body.subarray(0, 512).toString('latin1');
  const match = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1] ? normalizeCharset(match[1]) : null;
}
