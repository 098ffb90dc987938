import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SHARED_DATA = process.env.TRENDMILL_SHARED_DATA ?? '/work/shared/data';

export interface IngestItem {
  externalId: string;
  title: string;
  publishedAt: string;
  language: string;
}

let texts: string[] | undefined;

/** Every text of the shared data sets (read at run time; the data never enters the repo). */
function sharedTexts(): string[] {
  texts ??= readdirSync(SHARED_DATA, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readFileSync(join(SHARED_DATA, d.name, 'items.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { text: string }).text),
    );
  return texts;
}

/**
 * A stream of ingest items, each unique to this run: shared-data texts in order, and past the end
 * of the data a round number appended so a text is never repeated verbatim.
 */
export function itemSource(label = randomUUID().slice(0, 8)): (i: number) => IngestItem {
  const all = sharedTexts();
  return (i) => ({
    externalId: `${label}-${i}`,
    title: i < all.length ? all[i]! : `${all[i % all.length]!} (round ${Math.floor(i / all.length)})`,
    publishedAt: new Date(Date.now() - 60_000).toISOString(),
    language: 'en',
  });
}
