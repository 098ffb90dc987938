import { DescribeError } from './errors.js';
import { isPhrase } from './keyword-terms.js';
import { selectKeywords, type KeywordOptions } from './keywords.js';
import { TermCounts, type ReadonlyTermCounts } from './term-counts.js';

/** Sparse c-TF-IDF vector of one cluster: term → weight. */
export type KeywordProfile = ReadonlyMap<string, number>;

/** What the idf side of c-TF-IDF needs to know about all classes together. */
export interface CorpusStats {
  /** f_t: how often `term` occurs across all classes. */
  frequency(term: string): number;
  /** A: average number of terms per class. */
  averageClassSize: number;
}

/**
 * Class-based TF-IDF, as BERTopic computes it (Grootendorst 2022, "BERTopic: Neural topic modeling
 * with a class-based TF-IDF procedure", eq. 1; ClassTfidfTransformer):
 *
 *   W(t, c) = tf(t, c) / |c| × log(1 + A / f_t)
 *
 * where all documents of cluster c are treated as one document, tf(t, c) is the count of t in it,
 * |c| its number of terms (BERTopic's L1 row normalisation), A the average number of terms per class
 * and f_t the count of t across all classes. A term frequent in this cluster and rare elsewhere
 * weighs most; the 1 inside the log keeps every weight positive. (BERTopic truncates A to an integer;
 * we keep it exact.)
 */
export function cTfIdfWeights(counts: ReadonlyTermCounts, corpus: CorpusStats): Map<string, number> {
  const weights = new Map<string, number>();
  if (counts.total === 0) return weights;
  for (const [term, tf] of counts.entries()) {
    // f_t is at least this cluster's own count; the max guards a corpus that is out of step.
    const frequency = Math.max(corpus.frequency(term), tf);
    weights.set(term, (tf / counts.total) * Math.log(1 + corpus.averageClassSize / frequency));
  }
  return weights;
}

/**
 * Cosine similarity of two keyword profiles, in [0, 1] (weights are positive). 0 when either is empty.
 * The discovery step uses it to recognise a newly found group as an existing cluster.
 */
export function profileSimilarity(a: KeywordProfile, b: KeywordProfile): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  const norms = norm(a) * norm(b);
  return norms === 0 ? 0 : Math.min(1, dot / norms);
}

export interface ClusterKeywordOptions extends KeywordOptions {
  /**
   * A phrase must occur at least this often in the cluster to be a keyword (default 2): a phrase seen
   * once is one author's wording, not the topic's.
   */
  minPhraseCount?: number;
}

export const DEFAULT_MIN_PHRASE_COUNT = 2;

/**
 * Per-cluster term counts plus the corpus counts (their sum), kept in step so descriptions can be
 * refreshed incrementally: adding an item touches only its own terms, merging two clusters only the
 * source's terms, and weights are derived on demand.
 *
 * Every cluster in the index is one c-TF-IDF class. The service decides what a class is; putting the
 * unclustered pool in as one class (as BERTopic does with its outlier topic -1) makes words common in
 * the noise weigh less everywhere.
 */
export class CTfIdfIndex {
  private readonly clusters = new Map<string, TermCounts>();
  private readonly corpusCounts = new TermCounts();

  /** Sum of every cluster's counts. */
  get corpus(): ReadonlyTermCounts {
    return this.corpusCounts;
  }

  clusterIds(): string[] {
    return [...this.clusters.keys()];
  }

  has(clusterId: string): boolean {
    return this.clusters.has(clusterId);
  }

  /** The cluster's counts, e.g. to persist them; throws DescribeError('unknown_cluster'). */
  counts(clusterId: string): ReadonlyTermCounts {
    return this.get(clusterId);
  }

  /** Counts one document (its keywordTerms) into a cluster, creating the cluster if new. */
  addDocument(clusterId: string, terms: readonly string[]): void {
    let counts = this.clusters.get(clusterId);
    if (!counts) this.clusters.set(clusterId, (counts = new TermCounts()));
    counts.addDocument(terms);
    this.corpusCounts.addDocument(terms);
  }

  /** Takes a document back out of a cluster (an item reassigned or expired); same terms as added. */
  removeDocument(clusterId: string, terms: readonly string[]): void {
    this.get(clusterId).removeDocument(terms);
    this.corpusCounts.removeDocument(terms);
  }

  /** Puts a cluster's stored counts in (replacing any it had), e.g. when the service starts. */
  setCluster(clusterId: string, counts: ReadonlyTermCounts): void {
    const previous = this.clusters.get(clusterId);
    if (previous) this.corpusCounts.subtract(previous);
    this.clusters.set(clusterId, counts.clone());
    this.corpusCounts.merge(counts);
  }

  /** Drops a retired cluster; its terms stop counting towards f_t and A. */
  removeCluster(clusterId: string): void {
    this.corpusCounts.subtract(this.get(clusterId));
    this.clusters.delete(clusterId);
  }

  /** `sourceId` joins `targetId` and disappears. f_t is unchanged; A grows (one class fewer). */
  mergeClusters(targetId: string, sourceId: string): void {
    if (targetId === sourceId) {
      throw new DescribeError('invalid_argument', 'cannot merge a cluster into itself');
    }
    const target = this.get(targetId);
    target.merge(this.get(sourceId));
    this.clusters.delete(sourceId);
  }

  /** c-TF-IDF weights of a cluster in the index. */
  profile(clusterId: string): Map<string, number> {
    return cTfIdfWeights(this.get(clusterId), this.stats());
  }

  /**
   * c-TF-IDF weights of counts that are not in the index (a group the discovery step just found),
   * computed as if they were one more class: their terms count towards f_t and A.
   */
  profileOf(counts: ReadonlyTermCounts): Map<string, number> {
    return cTfIdfWeights(counts, this.stats(counts));
  }

  /** Cosine similarity of two clusters' keyword profiles (see profileSimilarity). */
  similarity(a: string, b: string): number {
    return profileSimilarity(this.profile(a), this.profile(b));
  }

  /** The cluster's top keywords, phrases preferred over their words when strong (see selectKeywords). */
  keywords(clusterId: string, options: ClusterKeywordOptions = {}): string[] {
    return keywordsOf(this.get(clusterId), this.profile(clusterId), options);
  }

  /** Keywords of counts outside the index, weighted as in profileOf. */
  keywordsOf(counts: ReadonlyTermCounts, options: ClusterKeywordOptions = {}): string[] {
    return keywordsOf(counts, this.profileOf(counts), options);
  }

  private stats(extra?: ReadonlyTermCounts): CorpusStats {
    const corpus = this.corpusCounts;
    const classes = this.clusters.size + (extra ? 1 : 0);
    const total = corpus.total + (extra?.total ?? 0);
    return {
      frequency: (term) => corpus.count(term) + (extra?.count(term) ?? 0),
      averageClassSize: classes === 0 ? 0 : total / classes,
    };
  }

  private get(clusterId: string): TermCounts {
    const counts = this.clusters.get(clusterId);
    if (!counts) throw new DescribeError('unknown_cluster', `no term counts for cluster ${clusterId}`);
    return counts;
  }
}

function keywordsOf(
  counts: ReadonlyTermCounts,
  profile: Map<string, number>,
  options: ClusterKeywordOptions,
): string[] {
  const minPhraseCount = options.minPhraseCount ?? DEFAULT_MIN_PHRASE_COUNT;
  for (const term of profile.keys()) {
    if (isPhrase(term) && counts.count(term) < minPhraseCount) profile.delete(term);
  }
  return selectKeywords(profile, options);
}

function norm(profile: KeywordProfile): number {
  let sum = 0;
  for (const weight of profile.values()) sum += weight * weight;
  return Math.sqrt(sum);
}
