import { createHash } from 'node:crypto';
import type { ParsedFeedItem } from './types.js';

/** What a format-specific reader found for one item, before cleaning. */
export interface RawItem {
  guid: string | null | undefined;
  title: string | null | undefined;
  /** Already resolved (see resolveLink). */
  link: string | null;
  published: Date | null | undefined;
  author: string | null | undefined;
  summary: string | null | undefined;
  content: string | null | undefined;
}

/**
 * The item in its output shape. `id` is the guid / id, else the link, else a stable hash of
 * title + published (and, when both are missing, of its text, so untitled undated items do not
 * all share one id).
 */
export function buildItem(raw: RawItem): ParsedFeedItem {
  const fields = {
    title: cleanText(raw.title),
    link: raw.link,
    published: toIsoDate(raw.published),
    author: cleanText(raw.author),
    summary: cleanMarkup(raw.summary),
    content: cleanMarkup(raw.content),
  };
  const id = cleanText(raw.guid) ?? fields.link ?? hashOf(fields);
  return { id, ...fields };
}

function hashOf(item: Omit<ParsedFeedItem, 'id'>): string {
  const parts: (string | null)[] = [item.title, item.published];
  if (item.title === null && item.published === null) parts.push(item.summary, item.content);
  return `sha256:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}

/** Text with runs of whitespace folded to one space; null when nothing is left. */
export function cleanText(text: string | null | undefined): string | null {
  const cleaned = text?.replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : null;
}

/** Markup is kept as written apart from surrounding whitespace; null when empty. */
function cleanMarkup(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

function toIsoDate(date: Date | null | undefined): string | null {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}
