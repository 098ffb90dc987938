import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';
import type { ResolvedEmbeddedOptions } from './options.js';

/**
 * usearch's ESM build finds its native binary from the stack of whoever imported it first, which
 * fails (stack overflow) when that is an `-e` script run from the repository root; its CommonJS
 * build uses its own `__dirname` and always works.
 */
const { Index, MetricKind, ScalarKind, exactSearch } = createRequire(import.meta.url)(
  'usearch',
) as typeof Usearch;
type Index = Usearch.Index;

/**
 * The usearch HNSW graph of one collection (cosine, f32), keyed by table row. A thin wrapper that
 * keeps usearch's sharp edges in one place: searching an empty index throws, a loaded file silently
 * replaces the dimension, and adds and searches must use the same thread count (usearch sizes its
 * per-thread contexts when it grows).
 */
export class HnswIndex {
  private index: Index;

  constructor(
    readonly dim: number,
    private readonly options: Pick<ResolvedEmbeddedOptions, 'hnsw' | 'threads'>,
  ) {
    this.index = this.create();
  }

  get size(): number {
    return this.index.size();
  }

  add(rows: readonly number[], vectors: Float32Array): void {
    if (rows.length === 0) return;
    this.index.add(
      BigUint64Array.from(rows, (row) => BigInt(row)),
      vectors,
      this.options.threads,
    );
  }

  remove(rows: readonly number[]): void {
    if (rows.length === 0) return;
    this.index.remove(BigUint64Array.from(rows, (row) => BigInt(row)));
  }

  contains(row: number): boolean {
    return this.index.contains(BigInt(row)) as boolean;
  }

  /** Approximate nearest rows with their cosine similarity, closest first. */
  search(query: Float32Array, wanted: number): Array<{ row: number; score: number }> {
    if (this.index.size() === 0) return [];
    const { keys, distances } = this.index.search(query, wanted, this.options.threads);
    return Array.from(keys, (key, i) => ({ row: Number(key), score: similarity(distances[i]!) }));
  }

  save(path: string): void {
    this.index.save(path);
  }

  /** Loads a saved graph; false (and an empty index) if the file does not fit this collection. */
  load(path: string): boolean {
    try {
      this.index.load(path);
      if (this.index.dimensions() === this.dim) return true;
    } catch {
      // Unreadable: the caller rebuilds from the stored vectors.
    }
    this.index = this.create();
    return false;
  }

  /** Drops the graph, e.g. when a loaded file turned out not to match the snapshot. */
  reset(): void {
    this.index = this.create();
  }

  private create(): Index {
    const { connectivity, expansionAdd, expansionSearch } = this.options.hnsw;
    return new Index({
      dimensions: this.dim,
      metric: MetricKind.Cos,
      quantization: ScalarKind.F32,
      connectivity,
      expansion_add: expansionAdd,
      expansion_search: expansionSearch,
      multi: false,
    });
  }
}

/**
 * Brute-force top-k by cosine over a row-major matrix (native, SIMD). Both arrays must start at
 * byte offset 0 (usearch reads the underlying buffer from its start).
 */
export function exactTopK(
  matrix: Float32Array,
  query: Float32Array,
  dim: number,
  k: number,
  threads: number,
): Array<{ row: number; score: number }> {
  const rows = matrix.length / dim;
  const wanted = Math.min(k, rows);
  if (wanted === 0) return [];
  const { keys, distances } = exactSearch(matrix, query, dim, wanted, MetricKind.Cos, threads) as {
    keys: BigUint64Array;
    distances: Float32Array;
  };
  return Array.from(keys, (key, i) => ({ row: Number(key), score: similarity(distances[i]!) }));
}

/** usearch's cosine distance is 1 − similarity; float error can step just outside [-1, 1]. */
function similarity(distance: number): number {
  return Math.max(-1, Math.min(1, 1 - distance));
}
