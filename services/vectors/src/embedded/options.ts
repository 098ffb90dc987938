import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { VectorStoreError } from '../errors.js';

/**
 * HNSW settings, from bench/vectors.ts (100k × 384-d unit vectors, 1,000 topic clusters, 2 vCPUs):
 * recall@10 0.998 at 0.3 ms p50 vs 11–15 ms for an exact scan. expansionAdd 64 gave the same recall
 * there but a weaker graph on harder data (10,000 loose clusters: recall@10 0.90 at expansionSearch
 * 64, 0.94 at 128), so the build pays for 128. Connectivity and expansionAdd shape the graph when it
 * is built; expansionSearch is taken at open, so it can be raised later without a rebuild.
 */
export const DEFAULT_HNSW = { connectivity: 16, expansionAdd: 128, expansionSearch: 64 } as const;

const optionsSchema = z.strictObject({
  /** Folder holding one sub-folder per collection; created if missing. */
  dir: z.string().min(1),
  /**
   * Collections (or filtered subsets) with at most this many points are searched exactly: a scan of
   * a few thousand vectors costs about what an HNSW search does, and is never wrong.
   */
  exactThreshold: z.number().int().min(0).default(2000),
  /**
   * A filtered search scans the matching points when there are at most this many. The graph can only
   * be post-filtered (usearch's JS API has no filtered traversal), which needs ~4·k/share candidates
   * and misses filtered neighbours that are far from the unfiltered ones; a scan of 20,000 vectors
   * costs a few milliseconds and is exact (bench/vectors.ts).
   */
  filteredExactThreshold: z.number().int().min(0).default(20_000),
  hnsw: z
    .strictObject({
      connectivity: z.number().int().min(2).max(128).default(DEFAULT_HNSW.connectivity),
      expansionAdd: z.number().int().min(1).max(4096).default(DEFAULT_HNSW.expansionAdd),
      expansionSearch: z.number().int().min(1).max(4096).default(DEFAULT_HNSW.expansionSearch),
    })
    .default(DEFAULT_HNSW),
  /** Native threads for index builds and scans; the same count is used for adds and searches. */
  threads: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(() => availableParallelism()),
  /**
   * `process` (default): an acknowledged write is in the log file, so it survives the process
   * crashing but not the machine losing power before the OS writes it out. `fsync`: every write
   * waits for the disk, so it survives both.
   */
  durability: z.enum(['process', 'fsync']).default('process'),
  /** When a collection's log passes this size it is compacted into a snapshot in the background. */
  maxLogBytes: z
    .number()
    .int()
    .min(1)
    .default(64 * 2 ** 20),
  /** Told when a background compaction fails (nothing is lost: the logs keep every write, and the next flush retries). */
  onBackgroundError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
});

export type EmbeddedStoreOptions = z.input<typeof optionsSchema>;
export type ResolvedEmbeddedOptions = z.output<typeof optionsSchema>;

export function resolveEmbeddedOptions(options: EmbeddedStoreOptions): ResolvedEmbeddedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new VectorStoreError('invalid_argument', `invalid embedded vector store options: ${why}`);
  }
  const resolved = parsed.data;
  // usearch sizes its per-thread search contexts when the index grows; never ask for more than exist.
  return { ...resolved, threads: Math.min(resolved.threads, availableParallelism()) };
}
