import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';

/** fast-xml-parser's output with `preserveOrder`: one object per node. */
type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export interface XmlDocument {
  nodes: RawNode[];
  /** The root element's name as written, e.g. `rss`, `rdf:RDF`, `feed`. */
  rootName: string;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// Second line of defence behind makeXmlSafe: even if a DTD reached the parser, its entity
// declarations would be dropped, and only the five predefined entities are ever expanded. Character
// references and HTML entities (&#233; &eacute;) are left for feed-parser, which decodes them in text.
const predefinedEntitiesOnly: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: (text) =>
    text.includes('&')
      ? text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => PREDEFINED[name]!)
      : text,
};

// The options @rowanmanning/feed-parser's Document uses, with our entity decoder.
const parser = new XMLParser({
  attributeNamePrefix: '',
  ignoreAttributes: false,
  ignoreDeclaration: true,
  parseTagValue: false,
  preserveOrder: true,
  trimValues: false,
  entityDecoder: predefinedEntitiesOnly,
});

/** Parses well-formed XML (DTD already removed), or says why it is not well-formed. */
export function parseXmlDocument(xml: string, lineOffset = 0): XmlDocument | { error: string } {
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const unclosed = unclosedElements(msg);
    if (unclosed) return { error: `malformed XML: unclosed element(s) ${unclosed} (truncated document?)` };
    return { error: `malformed XML at line ${line + lineOffset}, column ${col}: ${msg}` };
  }
  let nodes: RawNode[];
  try {
    nodes = parser.parse(xml) as RawNode[];
  } catch (err) {
    // The validator and the parser disagree on a few malformed inputs (an unbalanced quote in the
    // XML declaration passes one and throws in the other): the parser's word is final.
    return { error: `malformed XML: ${err instanceof Error ? err.message : String(err)}` };
  }
  const root = rootNode(nodes);
  if (!root) return { error: 'malformed XML: no root element' };
  return { nodes, rootName: nodeName(root) };
}

/**
 * Gives the root element an absolute `xml:base`: its own, resolved against the feed URL, or the feed
 * URL itself. feed-parser resolves every link against the nearest `xml:base`, so relative links then
 * come out absolute, with Atom's nested `xml:base` still honoured.
 */
export function setRootBase(doc: XmlDocument, feedUrl: string): void {
  const root = rootNode(doc.nodes);
  if (!root) return;
  const attributes = { ...root[':@'] };
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === 'xml:base') ?? 'xml:base';
  try {
    attributes[key] = new URL(attributes[key]?.trim() ?? '', feedUrl).href;
  } catch {
    attributes[key] = feedUrl;
  }
  root[':@'] = attributes;
}

function rootNode(nodes: RawNode[]): RawNode | undefined {
  return nodes.find((node) => !nodeName(node).startsWith('?') && nodeName(node) !== '#text');
}

function nodeName(node: RawNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

/** The validator reports elements left open at the end as a JSON array in its message. */
function unclosedElements(msg: string): string | null {
  const list = /^Invalid '(\[.*\])' found\.$/s.exec(msg)?.[1];
  if (!list) return null;
  try {
    return (JSON.parse(list) as string[]).join(' > ');
  } catch {
    return null;
  }
}

/** The name of the first element after the prolog (declaration, PIs, comments, whitespace). */
export function firstElementName(xml: string): string | null {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml.charAt(i))) i++;
    const close = xml.startsWith('<?', i) ? '?>' : xml.startsWith('<!--', i) ? '-->' : null;
    if (!close) break;
    const end = xml.indexOf(close, i);
    if (end === -1) return null;
    i = end + close.length;
  }
  return /^<([^\s/>!?]+)/.exec(xml.slice(i, i + 256))?.[1] ?? null;
}
