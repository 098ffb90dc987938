import { isAscii, isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import {
  charsetFromContentType,
  charsetFromXmlDeclaration,
  isUnicodeCharset,
  normalizeCharset,
} from './charset-labels.js';

export interface DecodedBody {
  text: string;
  /** The charset the bytes were decoded with (iconv-lite name, lower case). */
  charset: string;
}

const SNIFF_SAMPLE_BYTES = 64 * 1024;

/** Decodes a fetched feed body to text; the byte-order mark, if any, is dropped. */
export function decodeBody(body: Buffer, contentType?: string): DecodedBody {
  const charset = chooseCharset(body, contentType);
  return { text: iconv.decode(body, charset), charset };
}

/**
 * Decides the charset in this order: byte-order mark (or the BOM-less UTF-16 byte pattern of a
 * leading `<` / `{`) > Content-Type charset > XML declaration > sniffing > UTF-8.
 *
 * A declaration is checked against the bytes before it is believed, because servers and CMSes
 * often get it wrong:
 * - declared UTF-8 but the bytes are not valid UTF-8: the declaration is dropped (next one, else sniff);
 * - declared a legacy charset (ISO-8859-x, windows-125x, Shift_JIS...) but the bytes are valid UTF-8
 *   containing multi-byte sequences: UTF-8 wins, since legacy text almost never forms valid UTF-8
 *   multi-byte sequences by accident;
 * - declared UTF-16/32 without a BOM or the matching byte pattern: the declaration is dropped.
 */
export function chooseCharset(body: Buffer, contentType?: string): string {
  const fromBytes = charsetFromByteOrder(body);
  if (fromBytes) return fromBytes;
  for (const declared of [charsetFromContentType(contentType), charsetFromXmlDeclaration(body)]) {
    const checked = declared ? checkDeclared(declared, body) : null;
    if (checked) return checked;
  }
  return sniff(body);
}

function charsetFromByteOrder(body: Buffer): string | null {
  const [b0, b1, b2] = body;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  // XML 1.0 appendix F: a document with no BOM that starts with `<` (here also `{` for JSON Feed)
  // encoded as UTF-16 shows a zero byte beside it.
  const opener = (b: number | undefined) => b === 0x3c || b === 0x7b;
  if (opener(b0) && b1 === 0 && b2 !== 0 && body[3] === 0) return 'utf-16le';
  if (b0 === 0 && opener(b1) && b2 === 0 && body[3] !== 0) return 'utf-16be';
  return null;
}

function checkDeclared(declared: string, body: Buffer): string | null {
  if (declared === 'utf-8') return isUtf8(body) ? 'utf-8' : null;
  if (isUnicodeCharset(declared)) return null;
  return !isAscii(body) && isUtf8(body) ? 'utf-8' : declared;
}

function sniff(body: Buffer): string {
  if (isUtf8(body)) return 'utf-8';
  for (const match of chardet.analyse(body.subarray(0, SNIFF_SAMPLE_BYTES))) {
    const charset = normalizeCharset(match.name);
    if (charset && !isUnicodeCharset(charset)) return charset;
  }
  return 'windows-1252';
}
