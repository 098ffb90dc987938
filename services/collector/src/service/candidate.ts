import { createHash } from 'node:crypto';
import type { ItemCollected } from '@trendmill/shared-contracts';

/** An item a source produced, before the collector knows whether it is new. */
export interface Candidate {
  externalId: string;
  title: string;
  url?: string | null;
  content?: string | null;
  summary?: string | null;
  author?: string | null;
  /** ISO 8601 */
  publishedAt?: string | null;
  language?: string | null;
  metadata?: Record<string, string | number | boolean>;
}

const LIMITS = {
  externalId: 1000,
  title: 1000,
  text: 100_000,
  author: 500,
  url: 4000,
  language: 20,
  metadataKey: 100,
  metadataValue: 2000,
};

/**
 * The `item.collected` data for a new candidate, trimmed to the contract's bounds: over-long
 * fields are cut, not rejected (a feed's 200 kB article still carries its first 100 kB), and a
 * link that is not absolute http(s), a date the contract cannot carry (unreadable, or a year
 * outside 0000-9999) and metadata entries outside its bounds are left out.
 */
export function collectedData(
  candidate: Candidate,
  ids: { itemId: string; sourceId: string; sourceType: ItemCollected['sourceType'] },
  collectedAt: Date,
): ItemCollected {
  const url =
    candidate.url && isHttpUrl(candidate.url) && candidate.url.length <= LIMITS.url
      ? candidate.url
      : undefined;
  const published = candidate.publishedAt ? new Date(candidate.publishedAt) : undefined;
  const metadata = boundedMetadata(candidate.metadata);
  return {
    ...ids,
    externalId: candidate.externalId.slice(0, LIMITS.externalId),
    title: candidate.title.slice(0, LIMITS.title),
    collectedAt: collectedAt.toISOString(),
    ...(url ? { url } : {}),
    ...(candidate.content ? { content: candidate.content.slice(0, LIMITS.text) } : {}),
    ...(candidate.summary ? { summary: candidate.summary.slice(0, LIMITS.text) } : {}),
    ...(candidate.author ? { author: candidate.author.slice(0, LIMITS.author) } : {}),
    ...(published && isFourDigitYear(published) ? { publishedAt: published.toISOString() } : {}),
    ...(candidate.language ? { language: candidate.language.slice(0, LIMITS.language) } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

/** A date whose ISO form has a plain four-digit year (the contract's timestamps have no `+010000`). */
function isFourDigitYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(year) && year >= 0 && year <= 9999;
}

/** The metadata entries the contract can carry: keys up to 100 characters, strings cut, finite numbers. */
function boundedMetadata(metadata: Candidate['metadata']): Candidate['metadata'] {
  if (!metadata) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length > LIMITS.metadataKey) continue;
    if (typeof value === 'string') out[key] = value.slice(0, LIMITS.metadataValue);
    else if (typeof value === 'boolean' || Number.isFinite(value)) out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The key seen-item tracking uses: the source's id for the item, bounded in length. */
export function seenKey(externalId: string): string {
  return externalId.length <= 500
    ? externalId
    : `sha256:${createHash('sha256').update(externalId).digest('hex')}`;
}

function isHttpUrl(u: string): boolean {
  try {
    const parsed = new URL(u);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
