import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DATA_DIR = process.env.TRENDMILL_SHARED_DATA ?? '/work/shared/data';

export interface CorpusItem {
  externalId: string;
  title: string;
  publishedAt: string;
  language: string;
}

/**
 * `n` items for one scenario from the shared labelled data sets (read at run time, never copied
 * into the repo), interleaved across sets so every scenario sees a mix. Texts that repeat exactly
 * are dropped, so a collector or normalizer duplicate can only come from the pipeline; texts the
 * sets hold as near-copies of each other may still be flagged by the normalizer, which the
 * accounting counts separately instead of calling them lost.
 */
export function corpus(n: number, run: string): CorpusItem[] {
  const sets = readdirSync(DATA_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(DATA_DIR, d.name, 'items.jsonl'))
    .map((file) => readTexts(file));
  const seen = new Set<string>();
  const texts: string[] = [];
  for (let row = 0; texts.length < n && sets.some((s) => row < s.length); row++)
    for (const set of sets) {
      const text = set[row];
      if (text === undefined || seen.has(text)) continue;
      seen.add(text);
      texts.push(text);
      if (texts.length === n) break;
    }
  if (texts.length < n)
    throw new Error(`only ${texts.length} distinct texts under ${DATA_DIR}, asked for ${n}`);
  const now = Date.now();
  return texts.map((title, i) => ({
    externalId: `faults-${run}-${i}`,
    title,
    publishedAt: new Date(now - (n - i) * 1000).toISOString(),
    language: 'en',
  }));
}

function readTexts(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => ((JSON.parse(l) as { text?: string }).text ?? '').trim())
      .filter((t) => t.length >= 10);
  } catch {
    return [];
  }
}
