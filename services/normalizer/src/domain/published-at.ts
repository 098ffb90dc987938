import type { PublishedAtAdjustment } from './item.js';

/** Clocks disagree a little; a publish time up to this far after collection is believed. */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** Nothing on the web we collect was published before this; earlier values are placeholders (epoch 0). */
export const EARLIEST_PUBLISHED_MS = Date.UTC(1995, 0, 1);

export interface SanePublishedAt {
  publishedAt: string;
  adjusted?: PublishedAtAdjustment;
}

/**
 * The source's publish time as ISO 8601 UTC when it is credible, otherwise collectedAt and why:
 * missing, invalid (neither RFC 3339 nor RFC 2822: Date.parse alone guesses, reading "garbage 2024"
 * as a date), after collection by more than FUTURE_SKEW_MS, or before 1995. Times without a zone are
 * read as UTC, so the result never depends on the machine's time zone.
 */
export function sanePublishedAt(
  publishedAt: string | null | undefined,
  collectedAt: string,
): SanePublishedAt {
  if (typeof publishedAt !== 'string' || publishedAt.trim() === '')
    return { publishedAt: collectedAt, adjusted: 'missing' };
  const time = parseTime(publishedAt);
  if (time === undefined) return { publishedAt: collectedAt, adjusted: 'invalid' };
  if (time > Date.parse(collectedAt) + FUTURE_SKEW_MS)
    return { publishedAt: collectedAt, adjusted: 'future' };
  if (time < EARLIEST_PUBLISHED_MS) return { publishedAt: collectedAt, adjusted: 'too-old' };
  return { publishedAt: new Date(time).toISOString() };
}

/** collectedAt as ISO UTC; `now` when it is missing, unreadable or later than now (plus skew). */
export function saneCollectedAt(collectedAt: string | null | undefined, now: Date): string {
  const time = typeof collectedAt === 'string' ? parseTime(collectedAt) : undefined;
  return time === undefined || time > now.getTime() + FUTURE_SKEW_MS
    ? now.toISOString()
    : new Date(time).toISOString();
}

/** RFC 3339 / ISO 8601 (Atom, JSON APIs); date-only and zone-less forms included. */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** RFC 822 / 2822 (RSS pubDate), e.g. "Sat, 01 Jun 2024 11:00:00 GMT" or "... +0200". */
const RFC2822 =
  /^(?:[a-z]{3,9},?\s+)?(\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?)(?:\s+([a-z]{1,5}|[+-]\d{4}))?$/i;

/** Milliseconds since the epoch for an RFC 3339 or RFC 2822 date, else undefined (no guessing). */
export function parseTime(value: string): number | undefined {
  const text = value.trim();
  let time = Number.NaN;
  const iso = ISO.exec(text);
  if (iso) {
    const [, date, clock, zone] = iso;
    time = Date.parse(clock ? `${date}T${clock.replace(',', '.')}${zone ?? 'Z'}` : `${date}T00:00:00Z`);
  } else {
    const rfc = RFC2822.exec(text);
    if (rfc) time = Date.parse(`${rfc[1]} ${rfc[2] ?? 'GMT'}`);
  }
  return Number.isFinite(time) ? time : undefined;
}
