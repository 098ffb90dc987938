/**
 * The one port every vector store implements: collections of unit vectors (cosine similarity),
 * one collection per embedding model, with a small JSON payload per point for filtering.
 */
export type PayloadValue = string | number | boolean | null;
export type Payload = Record<string, PayloadValue>;

export interface VectorPoint {
  /** Item id (any string up to 200 chars); upserting an existing id replaces it. */
  id: string;
  vector: Float32Array;
  payload?: Payload;
}

/** All conditions must hold. */
export interface VectorFilter {
  must: Condition[];
}
export type Condition =
  | { key: string; match: PayloadValue }
  | { key: string; any: PayloadValue[] }
  | { key: string; range: { gt?: number; gte?: number; lt?: number; lte?: number } };

export interface SearchHit {
  id: string;
  /** Cosine similarity, higher is closer (1 = same direction). */
  score: number;
  payload: Payload;
}

export interface SearchOptions {
  k: number;
  filter?: VectorFilter;
  /** Skip the approximate index and compare against every point. */
  exact?: boolean;
}

export interface VectorCollection {
  readonly name: string;
  readonly dim: number;
  /** Adds or replaces points; throws RangeError for a vector of the wrong length. */
  upsert(points: readonly VectorPoint[]): Promise<void>;
  delete(ids: readonly string[]): Promise<void>;
  /** The k nearest points to `vector` that match the filter, closest first. */
  search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]>;
  count(filter?: VectorFilter): Promise<number>;
  /** Points by id, with their vectors (missing ids are left out). */
  retrieve(ids: readonly string[]): Promise<VectorPoint[]>;
}

export interface VectorStore {
  readonly kind: string;
  /**
   * The collection for one embedding model, created on first use with that dimension. Asking for
   * an existing collection with another dimension throws: one model, one space.
   */
  collection(model: string, dim: number): Promise<VectorCollection>;
  /** Drops a collection and its points (e.g. after a re-embed moved to a new model). */
  dropCollection(model: string): Promise<void>;
  listCollections(): Promise<Array<{ model: string; dim: number; count: number }>>;
  /** Persists what is pending (embedded store) and releases resources. */
  close(): Promise<void>;
}
