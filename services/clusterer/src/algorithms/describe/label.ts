export interface LabelOptions {
  /** Most keywords in a label (default 3). */
  maxKeywords?: number;
  /** Longest label in characters (code points), separators included (default 60). */
  maxLength?: number;
  separator?: string;
}

export const DEFAULT_LABEL_KEYWORDS = 3;
export const MAX_LABEL_LENGTH = 60;
export const LABEL_SEPARATOR = ' · ';

/**
 * A short human label from a cluster's keywords, best first: "Climate Summit · Emissions · Pledge".
 *
 * Takes up to `maxKeywords` keywords while the label still fits in `maxLength`, so a keyword that does
 * not fit is left out (and the next one tried) rather than cut. Only a first keyword that is too long on its own is shortened,
 * at a word boundary where there is one, with an ellipsis. Each word gets an upper-case first letter
 * (keywords are lower-cased by the tokenizer, so this is the best we can do for names); scripts
 * without case are unchanged. Empty when there are no keywords: the caller falls back to something
 * else (the representative item's title).
 */
export function clusterLabel(keywords: readonly string[], options: LabelOptions = {}): string {
  const maxKeywords = options.maxKeywords ?? DEFAULT_LABEL_KEYWORDS;
  const maxLength = Math.max(1, options.maxLength ?? MAX_LABEL_LENGTH);
  const separator = options.separator ?? LABEL_SEPARATOR;

  let label = '';
  for (const keyword of keywords.slice(0, maxKeywords)) {
    const part = titleCase(keyword.trim());
    if (part.length === 0) continue;
    if (label.length === 0) {
      label = shorten(part, maxLength);
      continue;
    }
    const next = label + separator + part;
    if (length(next) <= maxLength) label = next;
  }
  return label;
}

/** Upper-cases the first letter of every space- or hyphen-separated word. */
export function titleCase(text: string): string {
  return text.replace(
    /(^|[\s-])(\p{Ll})/gu,
    (_, before: string, letter: string) => before + letter.toUpperCase(),
  );
}

function shorten(text: string, maxLength: number): string {
  const chars = [...text];
  if (chars.length <= maxLength) return text;
  const room = chars.slice(0, maxLength - 1).join('');
  const lastSpace = room.lastIndexOf(' ');
  return (lastSpace > 0 ? room.slice(0, lastSpace) : room).trimEnd() + '…';
}

function length(text: string): number {
  return [...text].length;
}
