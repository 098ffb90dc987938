import { z } from 'zod';
import { DescribeError } from './errors.js';

/** How TermCounts is stored (JSON column, snapshot file): terms sorted so equal counts serialise alike. */
export interface TermCountsJson {
  documents: number;
  terms: Record<string, number>;
}

const termCountsJson = z.object({
  documents: z.number().int().nonnegative(),
  terms: z.record(z.string().min(1), z.number().int().positive()),
});

/** What readers of counts may use; TermCounts is the one implementation. */
export interface ReadonlyTermCounts {
  readonly documents: number;
  readonly total: number;
  readonly size: number;
  count(term: string): number;
  entries(): IterableIterator<[string, number]>;
  clone(): TermCounts;
  toJSON(): TermCountsJson;
}

/**
 * Term frequencies of a bag of documents: one cluster (a c-TF-IDF "class") or the whole corpus.
 *
 * Kept as plain counts, not weights, so the service can add an item, remove one, or merge two clusters
 * in O(terms touched) and derive weights whenever it needs them. Mutating methods return `this`.
 */
export class TermCounts implements ReadonlyTermCounts {
  private readonly counts = new Map<string, number>();
  private termTotal = 0;
  private documentTotal = 0;

  /** Counts of the given documents, each a list of terms (see keywordTerms). */
  static of(documents: Iterable<Iterable<string>>): TermCounts {
    const counts = new TermCounts();
    for (const terms of documents) counts.addDocument(terms);
    return counts;
  }

  /** Validates stored counts; a DescribeError('invalid_term_counts') says what is wrong. */
  static fromJSON(value: unknown): TermCounts {
    const parsed = termCountsJson.safeParse(value);
    if (!parsed.success) {
      throw new DescribeError('invalid_term_counts', `invalid term counts: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    }
    const counts = new TermCounts();
    for (const [term, count] of Object.entries(parsed.data.terms)) counts.bump(term, count);
    counts.documentTotal = parsed.data.documents;
    return counts;
  }

  /** Number of documents added (minus removed). */
  get documents(): number {
    return this.documentTotal;
  }

  /** Sum of all term counts: |c| in the c-TF-IDF formula. */
  get total(): number {
    return this.termTotal;
  }

  /** Number of distinct terms. */
  get size(): number {
    return this.counts.size;
  }

  count(term: string): number {
    return this.counts.get(term) ?? 0;
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  /** Counts one document's terms (every occurrence, as BERTopic's CountVectorizer does). */
  addDocument(terms: Iterable<string>): this {
    for (const term of terms) this.bump(term, 1);
    this.documentTotal += 1;
    return this;
  }

  /**
   * Takes back a document added earlier, given the same terms. Refuses (and changes nothing) when a
   * term would go below zero: the terms were not the ones added, and guessing would corrupt the counts.
   */
  removeDocument(terms: Iterable<string>): this {
    const removal = TermCounts.of([terms]);
    if (this.documentTotal < 1) throw new DescribeError('invalid_argument', 'no document to remove');
    for (const [term, count] of removal.entries()) {
      if (this.count(term) < count) {
        throw new DescribeError('invalid_argument', `term "${term}" was not counted ${count} time(s)`);
      }
    }
    for (const [term, count] of removal.entries()) this.bump(term, -count);
    this.documentTotal -= 1;
    return this;
  }

  /** Adds every count of `other` (two clusters merging, or a cluster joining the corpus). */
  merge(other: ReadonlyTermCounts): this {
    for (const [term, count] of other.entries()) this.bump(term, count);
    this.documentTotal += other.documents;
    return this;
  }

  /** Removes every count of `other`, which must be contained in this one (a cluster leaving the corpus). */
  subtract(other: ReadonlyTermCounts): this {
    if (other.documents > this.documentTotal) {
      throw new DescribeError('invalid_argument', 'cannot subtract more documents than were counted');
    }
    for (const [term, count] of other.entries()) {
      if (this.count(term) < count) {
        throw new DescribeError('invalid_argument', `term "${term}" was not counted ${count} time(s)`);
      }
    }
    for (const [term, count] of other.entries()) this.bump(term, -count);
    this.documentTotal -= other.documents;
    return this;
  }

  clone(): TermCounts {
    return new TermCounts().merge(this);
  }

  toJSON(): TermCountsJson {
    // fromEntries defines own properties, so even a term spelled "__proto__" survives.
    const sorted = [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { documents: this.documentTotal, terms: Object.fromEntries(sorted) };
  }

  private bump(term: string, delta: number): void {
    const next = (this.counts.get(term) ?? 0) + delta;
    if (next === 0) this.counts.delete(term);
    else this.counts.set(term, next);
    this.termTotal += delta;
  }
}
