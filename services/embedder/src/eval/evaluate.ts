import type { EmbeddingProvider } from '../providers/port.js';
import type { LabelledText } from './dataset.js';
import { kmeans } from './kmeans.js';
import { clusteringScores, type ClusteringScores } from './metrics.js';

/**
 * How well an embedding provider's vectors cluster a labelled data set: embed every text,
 * k-means with k = the number of gold labels (unless given), score the clusters against the
 * labels. This is the protocol of the published short-text clustering results and of our
 * reference baselines (/work/shared/data/BASELINES.md).
 */
export interface EmbedEvalOptions {
  k?: number;
  restarts?: number;
  seed?: number;
  /** Called after each embedded batch and each k-means phase. */
  onProgress?: (event: { phase: 'embed' | 'cluster'; done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface EmbedEvalResult extends ClusteringScores {
  n: number;
  k: number;
  embedder: string;
  model: string;
  embedSeconds: number;
  clusterSeconds: number;
}

export async function evaluateEmbeddings(
  items: readonly LabelledText[],
  provider: EmbeddingProvider,
  options: EmbedEvalOptions = {},
): Promise<EmbedEvalResult> {
  const labels = items.map((item) => item.label);
  const k = options.k ?? new Set(labels).size;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > items.length) throw new RangeError(`k (${k}) exceeds the number of items (${items.length})`);

  const embedStarted = performance.now();
  const vectors: Float32Array[] = [];
  for (let start = 0; start < items.length; start += provider.maxBatch) {
    const batch = items.slice(start, start + provider.maxBatch).map((item) => item.text);
    vectors.push(...(await provider.embed(batch, options.signal ? { signal: options.signal } : {})));
    options.onProgress?.({ phase: 'embed', done: vectors.length, total: items.length });
  }
  const embedSeconds = (performance.now() - embedStarted) / 1000;

  const clusterStarted = performance.now();
  options.onProgress?.({ phase: 'cluster', done: 0, total: 1 });
  const clusters = kmeans(vectors, { k, restarts: options.restarts ?? 10, seed: options.seed ?? 0 });
  options.onProgress?.({ phase: 'cluster', done: 1, total: 1 });
  const clusterSeconds = (performance.now() - clusterStarted) / 1000;

  return {
    n: items.length,
    k,
    embedder: provider.kind,
    model: provider.model,
    ...clusteringScores(labels, Array.from(clusters.assignments)),
    embedSeconds,
    clusterSeconds,
  };
}
