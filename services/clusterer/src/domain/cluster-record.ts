import { TermCounts, type TermCountsJson } from '../algorithms/describe/index.js';
import { BucketHistogram, type BucketHistogramJson } from '../algorithms/trend/index.js';
import type { ClusterState } from './contract.js';
import { EngineError } from './errors.js';

/**
 * What `ClusterState.internal` holds: enough to continue exactly where the engine stopped. Written
 * as format 2; format 1 (the sum as a JSON array of numbers, twice the text) is still read.
 */
export interface ClusterInternal {
  format: 2;
  /**
   * Σ of the members' vectors, in doubles (one vector can be added without drift of a mean), as
   * base64 of their little-endian IEEE 754 bytes: exact, and 5.5 KB of text at 512 dimensions
   * instead of ~10 KB as numbers, in a row written whenever the cluster changes.
   */
  sum: string;
  terms: TermCountsJson;
  histogram: BucketHistogramJson;
  /** Size when keywords and label were last computed (they are refreshed as the cluster grows). */
  describedSize: number;
}

/** A live cluster while the engine works on it; `state` is what was last announced. */
export interface ClusterRecord {
  state: ClusterState;
  sum: Float64Array;
  terms: TermCounts;
  histogram: BucketHistogram;
  describedSize: number;
  /** Member items the engine still holds (pool and discovery window), for representatives and merges. */
  members: Set<string>;
  /** The cluster's own assignment threshold for discovery's noise, from its members' spread (engine). */
  reach?: number;
}

export function newRecord(
  clusterId: string,
  model: string,
  dim: number,
  bucketMs: number,
  now: number,
): ClusterRecord {
  return {
    state: {
      clusterId,
      model,
      version: 0,
      status: 'emerging',
      size: 0,
      centroid: new Float32Array(dim),
      label: '',
      keywords: [],
      representativeItemIds: [],
      emergingScore: 0,
      velocity: 0,
      createdAt: now,
      updatedAt: now,
      lastItemAt: 0,
      internal: undefined,
    },
    sum: new Float64Array(dim),
    terms: new TermCounts(),
    histogram: new BucketHistogram(bucketMs),
    describedSize: 0,
    members: new Set(),
  };
}

/** Unit direction of the sum (the centroid); the zero vector stays zero. */
export function unitOf(sum: Float64Array): Float32Array {
  let norm = 0;
  for (const value of sum) norm += value * value;
  norm = Math.sqrt(norm);
  return Float32Array.from(sum, (value) => (norm === 0 ? 0 : value / norm));
}

/** The element-wise sum of vectors of one dimension (at least one). */
export function sumOfVectors(vectors: readonly Float32Array[]): Float64Array {
  const sum = new Float64Array(vectors[0]!.length);
  for (const vector of vectors) for (let d = 0; d < sum.length; d++) sum[d]! += vector[d]!;
  return sum;
}

/**
 * Mean cosine similarity between two different ones of `n` unit vectors summing to `sum`:
 * (|Σv|² − n) / (n(n − 1)), with no pass over the vectors themselves. Needs n ≥ 2.
 */
export function meanPairwiseSimilarity(sum: Float64Array, n: number): number {
  let squared = 0;
  for (const value of sum) squared += value * value;
  return (squared - n) / (n * (n - 1));
}

/** The announced state with its internal part, detached from the record (later changes do not leak). */
export function snapshotOf(record: ClusterRecord): ClusterState {
  const internal: ClusterInternal = {
    format: 2,
    sum: encodeSum(record.sum),
    // Insertion order, not TermCounts.toJSON's sorted order: a sort per announced change of a big
    // cluster cost more than the rest of the engine together, and the order survives a round trip.
    terms: { documents: record.terms.documents, terms: Object.fromEntries(record.terms.entries()) },
    histogram: record.histogram.toJSON(),
    describedSize: record.describedSize,
  };
  const state = record.state;
  return {
    ...state,
    centroid: Float32Array.from(state.centroid),
    keywords: state.keywords.map((keyword) => ({ ...keyword })),
    representativeItemIds: [...state.representativeItemIds],
    internal,
  };
}

/** Rebuilds a record from a stored state (members are filled in from the stored items). */
export function recordFromState(stored: ClusterState, dim: number): ClusterRecord {
  const internal = stored.internal as
    | (Omit<Partial<ClusterInternal>, 'format' | 'sum'> & { format?: unknown; sum?: unknown })
    | null
    | undefined;
  const sum = internal ? decodeSum(internal.format, internal.sum) : undefined;
  if (!internal || !sum || sum.length !== dim)
    throw new EngineError(
      'invalid_snapshot',
      `cluster ${stored.clusterId}: internal state is missing or not of this engine (format 1 or 2, ${dim} dimensions)`,
    );
  const centroid = Float32Array.from(stored.centroid as ArrayLike<number>);
  if (centroid.length !== dim)
    throw new EngineError(
      'invalid_snapshot',
      `cluster ${stored.clusterId}: centroid is not ${dim}-dimensional`,
    );
  try {
    return {
      state: {
        ...stored,
        centroid,
        keywords: stored.keywords.map((keyword) => ({ ...keyword })),
        representativeItemIds: [...stored.representativeItemIds],
        internal: undefined,
      },
      sum,
      terms: TermCounts.fromJSON(internal.terms),
      histogram: BucketHistogram.fromJSON(internal.histogram),
      describedSize: Number(internal.describedSize ?? 0),
      members: new Set(),
    };
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      'invalid_snapshot',
      `cluster ${stored.clusterId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The doubles as base64 of their little-endian bytes. */
export function encodeSum(sum: Float64Array): string {
  const bytes = Buffer.alloc(sum.length * 8);
  sum.forEach((value, i) => bytes.writeDoubleLE(value, i * 8));
  return bytes.toString('base64');
}

/** A stored sum: format 2 (base64, see encodeSum) or format 1 (numbers); undefined when it is neither. */
export function decodeSum(format: unknown, sum: unknown): Float64Array | undefined {
  if (format === 1 && Array.isArray(sum) && sum.every((v) => typeof v === 'number'))
    return Float64Array.from(sum);
  if (format !== 2 || typeof sum !== 'string') return undefined;
  const bytes = Buffer.from(sum, 'base64');
  if (bytes.length % 8 !== 0 || bytes.toString('base64') !== sum) return undefined;
  return Float64Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(i * 8));
}
