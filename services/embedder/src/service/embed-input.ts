import type { ItemNormalized } from '@trendmill/shared-contracts';

/** Longest text handed to a provider; longer items are cut at a word boundary. */
export const DEFAULT_MAX_INPUT_CHARS = 4_000;

/**
 * The text an item is embedded from: its title, then its body, cut to `maxChars`. Changing this
 * changes every vector, so the input hash (not the item id) keys the cache.
 */
export function embeddingInput(
  item: Pick<ItemNormalized, 'title' | 'text'>,
  maxChars = DEFAULT_MAX_INPUT_CHARS,
): string {
  const title = item.title.trim();
  const body = item.text.trim();
  const joined = title && body && !body.startsWith(title) ? `${title}\n${body}` : body || title;
  if (joined.length <= maxChars) return joined;
  const cut = joined.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return space > maxChars * 0.8 ? cut.slice(0, space) : cut;
}
