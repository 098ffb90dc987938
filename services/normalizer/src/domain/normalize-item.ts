import { absoluteUrl, canonicalUrl } from './canonical-url.js';
import { cleanTitle, htmlToText, truncateOnWord } from './clean-text.js';
import { contentHash } from './content-hash.js';
import { weightedShingles } from './fingerprint-scheme.js';
import type { ItemCollectedLike, NormalizeResult } from './item.js';
import { detectLanguage } from './language.js';
import { saneCollectedAt, sanePublishedAt } from './published-at.js';
import { words } from './shingles.js';
import { simHash } from './simhash.js';

/** A title made from the text, when the source gave none, stops at this length. */
export const DERIVED_TITLE_CHARS = 120;
export const MAX_AUTHOR_CHARS = 200;

/**
 * A collected item as clean, comparable fields. Pure: the same item and `now` always give the same
 * result, and it never throws, whatever the fields hold. Fails (ok: false) when nothing readable is
 * left: no title and no body after cleaning ('empty'), or input it cannot read at all ('unreadable').
 */
export function normalizeItem(collected: ItemCollectedLike, now: Date): NormalizeResult {
  try {
    return normalize(collected, now);
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

function normalize(collected: ItemCollectedLike, now: Date): NormalizeResult {
  const body = htmlToText(text(collected.content)) || htmlToText(text(collected.summary));
  let title = cleanTitle(text(collected.title));
  if (title === '' && body === '')
    return { ok: false, reason: 'empty', detail: 'no title and no body after cleaning' };
  if (title === '') title = truncateOnWord(body.split('\n', 1)[0]!, DERIVED_TITLE_CHARS);
  const bodyText = body || title;
  const tokens = [...words(title), ...words(bodyText)];
  if (tokens.length === 0)
    return { ok: false, reason: 'empty', detail: 'no words (letters or digits) after cleaning' };

  const collectedAt = saneCollectedAt(text(collected.collectedAt), now);
  const published = sanePublishedAt(text(collected.publishedAt), collectedAt);
  const url = absoluteUrl(text(collected.url));
  const author = cleanTitle(text(collected.author), MAX_AUTHOR_CHARS);
  return {
    ok: true,
    item: {
      url: url?.href,
      canonicalUrl: canonicalUrl(url?.href),
      title,
      text: bodyText,
      language: detectLanguage(`${title}\n${body}`, text(collected.language)),
      publishedAt: published.publishedAt,
      ...(published.adjusted ? { publishedAtAdjusted: published.adjusted } : {}),
      collectedAt,
      contentHash: contentHash(title, bodyText),
      simhash: simHash(weightedShingles(tokens, [1, 2])),
      author: author === '' ? undefined : author,
    },
  };
}

/** Fields arrive from other processes: anything that is not a string counts as absent. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
