import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectorService, CreateSourceInput } from '@trendmill/collector';
import type { Logger } from '@trendmill/platform';

/**
 * Well-known public sources the embedded default subscribes to on its first start, so a laptop with
 * a network sees live topics beside the demo corpus. Without a network they fail calmly: each poll
 * failure is one warning, the collector backs off exponentially (up to 6 h), and the source's health
 * says why (`GET /api/v1/sources/:id/health`).
 */
export const DEFAULT_SOURCES: readonly CreateSourceInput[] = [
  { type: 'hackernews', list: 'top', limit: 60, name: 'Hacker News — top stories' },
  { type: 'reddit', subreddit: 'programming', sort: 'hot', name: 'r/programming' },
  { type: 'reddit', subreddit: 'technology', sort: 'hot', name: 'r/technology' },
  { type: 'feed', url: 'https://feeds.bbci.co.uk/news/technology/rss.xml', name: 'BBC News — Technology' },
  { type: 'feed', url: 'https://feeds.arstechnica.com/arstechnica/index', name: 'Ars Technica' },
  { type: 'feed', url: 'https://www.theverge.com/rss/index.xml', name: 'The Verge' },
  { type: 'feed', url: 'https://lobste.rs/rss', name: 'Lobsters' },
];

/** Marks that the defaults were offered once: a source the user deletes stays deleted. */
const MARKER = 'default-sources-created';

export async function addDefaultSources(
  collector: CollectorService,
  dataDir: string,
  logger: Logger,
): Promise<number> {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) return 0;
  let created = 0;
  for (const input of DEFAULT_SOURCES) {
    try {
      await collector.createSource(input);
      created++;
    } catch (err) {
      // Already there (a half-finished earlier start) is fine; anything else is worth one line.
      if (!(err instanceof Error && 'existingId' in err))
        logger.warn('default source not added', { name: input.name, error: String(err) });
    }
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return created;
}
