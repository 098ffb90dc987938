import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmix32 } from '../../services/normalizer/src/domain/hash32.js';

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
 * A stream of ingest items, each unique to this run: shared-data texts in order, then (past the
 * end of the data) texts made by interleaving the words of two of them, a different pair in every
 * round. Such a text shares no word pair with either source, only its words (about half of a
 * source's shingles), below the normalizer's near-duplicate containment (0.67), so every item
 * takes the whole path: normalized, embedded and clustered. (Appending a round number, as this
 * did before, made every item past the data a near-duplicate of the text it repeated, stopped at
 * the normalizer: in a 100k run, 37 % of the items.)
 */
export function itemSource(label = randomUUID().slice(0, 8)): (i: number) => IngestItem {
  const all = sharedTexts();
  return (i) => ({
    externalId: `${label}-${i}`,
    title: i < all.length ? all[i]! : interleaved(all, i),
    publishedAt: new Date(Date.now() - 60_000).toISOString(),
    language: 'en',
  });
}

/** Item i past the data: the words of text i mod n and of a partner picked by (i, round), alternating. */
function interleaved(all: string[], i: number): string {
  const round = Math.floor(i / all.length);
  const first = all[i % all.length]!.split(/\s+/);
  let partner = fmix32(Math.imul(i, 0x9e3779b1) ^ Math.imul(round + 1, 0x85ebca6b)) % all.length;
  if (partner === i % all.length) partner = (partner + 1) % all.length;
  const second = all[partner]!.split(/\s+/);
  const words: string[] = [];
  const shared = Math.min(first.length, second.length);
  for (let w = 0; w < shared; w++) words.push(first[w]!, second[w]!);
  // The longer text's tail, reversed: in order it would keep that text's word pairs.
  const tail = (first.length > shared ? first : second).slice(shared).reverse();
  return [...words, ...tail].join(' ');
}
