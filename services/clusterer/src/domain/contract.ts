/**
 * The contract between the clusterer's pure engine (this folder, no I/O) and the service that
 * persists its state and announces its changes (store/, handlers/, service.ts).
 *
 * One engine per embedding model: vectors of two models never meet. The service feeds it embedded
 * items one at a time (`add`), asks for discovery on a schedule or when the pool grows
 * (`discover`), and for lifecycle upkeep (`maintain`: merge converged clusters, retire quiet ones,
 * refresh trend figures). Every call returns the changes it made; the service writes them and their
 * events in one transaction (outbox), so the engine's in-memory state and the database agree.
 * After a restart the service rebuilds the engine from what it stored (`restore`).
 *
 * Times are epoch milliseconds. Vectors are unit-normalised Float32Arrays.
 */

export interface EngineItem {
  itemId: string;
  model: string;
  vector: Float32Array;
  /** Title and body, for c-TF-IDF keywords and labels. */
  text: string;
  publishedAt: number;
  sourceId: string;
  language: string;
}

/** An item the engine knows, with the cluster it belongs to (null: waiting in the pool). */
export interface StoredItem extends EngineItem {
  clusterId: string | null;
}

export type ClusterStatus = 'emerging' | 'active' | 'fading' | 'retired' | 'merged';

export interface Keyword {
  term: string;
  weight: number;
}

export interface ClusterState {
  clusterId: string;
  model: string;
  /** Starts at 1 on creation; +1 for every change announced. */
  version: number;
  status: ClusterStatus;
  size: number;
  /** Unit-normalised mean of the members' vectors. */
  centroid: Float32Array;
  label: string;
  keywords: Keyword[];
  representativeItemIds: string[];
  emergingScore: number;
  velocity: number;
  createdAt: number;
  updatedAt: number;
  lastItemAt: number;
  /** Set when status is 'merged'. */
  mergedInto?: string;
  /**
   * Engine-private state the service stores as opaque JSON and hands back on restore (vector sum,
   * term counts, time-bucket histogram, …). Must survive JSON.stringify / JSON.parse.
   */
  internal: unknown;
}

export type EngineChange =
  | {
      kind: 'item-clustered';
      itemId: string;
      /** null: the item waits in the pool. */
      clusterId: string | null;
      method: 'assigned' | 'discovered' | 'pooled';
      similarity?: number;
    }
  | { kind: 'cluster-created'; cluster: ClusterState; memberItemIds: string[] }
  | { kind: 'cluster-updated'; cluster: ClusterState; addedItemIds: string[] }
  | {
      kind: 'cluster-merged';
      /** The absorbed cluster (its state after the merge: status 'merged', version bumped). */
      cluster: ClusterState;
      intoClusterId: string;
      movedItemIds: string[];
    }
  | { kind: 'cluster-retired'; cluster: ClusterState; reason: string };

export interface EngineSettings {
  model: string;
  /** Cosine similarity an item needs to join the nearest live cluster. Calibrated per model. */
  assignThreshold: number;
  minClusterSize: number;
  minSamples: number;
  /** Discovery runs over the pool plus clustered items newer than this. */
  discoveryWindowMs: number;
  /** `add` reports `discoveryDue` once the pool holds this many items. */
  discoveryPoolTrigger: number;
  /**
   * Discovery looks at this many candidates at most, the most recent ones: a pass costs about
   * O(n log n) in them and holds the clusterer while it runs, so above this the cost of a pass stops
   * growing with the volume of the window.
   */
  discoveryMaxItems: number;
  /** Clusters whose centroids reach this cosine similarity are merged. */
  mergeThreshold: number;
  /** A cluster with no new item for this long retires. */
  retireAfterMs: number;
  /** Width of a trend time bucket. */
  bucketMs: number;
}

/** Density-clustering parameters of a discovery pass (see `findGroups`). */
export interface GroupOptions {
  minClusterSize: number;
  minSamples: number;
  /** Dimensions kept before density clustering (see principal-components.ts). */
  dimensions: number;
}

/** The candidates of one discovery pass: their ids and vectors, row by row. */
export interface DiscoveryInput {
  itemIds: readonly string[];
  vectors: readonly Float32Array[];
  options: GroupOptions;
  /** How many items the engine had pooled, ever, when the candidates were taken (see `pooledSinceDiscovery`). */
  poolMark: number;
}

export interface AddResult {
  changes: EngineChange[];
  /** True when the pool has grown enough that the service should run `discover` soon. */
  discoveryDue: boolean;
}

export interface ClusterEngine {
  readonly settings: EngineSettings;
  /** Streaming assignment. An item the engine already knows gives no change (replays are no-ops). */
  add(item: EngineItem, now: number): AddResult;
  /**
   * Streaming assignment of several items at once, as `add` one after the other, except that each
   * cluster they join is announced once (one `cluster-updated` with all its added items, one
   * version), not once per item. Every item is checked first: an invalid one throws before the
   * engine changes. Items it already knows, or repeated in the list, are skipped.
   */
  addMany(items: readonly EngineItem[], now: number): AddResult;
  /** Density clustering over pool + recent window; matched groups extend existing clusters. */
  discover(now: number): EngineChange[];
  /**
   * `discover` in two steps, so its costly pure part (finding dense groups among the candidates'
   * vectors) can run elsewhere, a worker thread, while the engine goes on assigning: this step picks
   * the candidates; `completeDiscovery` applies the groups found among them to the engine as it is
   * by then (an item released meanwhile is skipped, one assigned meanwhile counts as clustered).
   * `discover(now)` is both steps with `findGroups(input.vectors, input.options)` between them.
   * Optional: an engine without them is discovered with `discover`.
   */
  prepareDiscovery?(now: number): DiscoveryInput;
  completeDiscovery?(
    input: DiscoveryInput,
    groups: readonly (readonly number[])[],
    now: number,
  ): EngineChange[];
  /** Merge converged clusters, retire quiet ones, refresh trend figures of live clusters. */
  maintain(now: number): EngineChange[];
  /** Live (not retired, not merged) clusters. */
  clusters(): ClusterState[];
  /** Items waiting in the pool. */
  poolSize(): number;
  /**
   * Items pooled since the last completed discovery pass took its candidates (0: a pass would see
   * nothing new). Items pooled while a pass runs count; so does the pool an engine was restored with.
   */
  pooledSinceDiscovery(): number;
  has(itemId: string): boolean;
}

/** What the service hands back after a restart: the clusters it stored and the items still inside the discovery window or the pool. */
export interface EngineSnapshot {
  clusters: ClusterState[];
  items: StoredItem[];
}

/**
 * What domain/index.ts exports for the service (implemented in this folder):
 * - `createClusterEngine(settings: EngineSettings, options?: { snapshot?: EngineSnapshot; newId?: () => string }): ClusterEngine`
 *   (`newId` defaults to `randomUUID`; tests and `eval cluster` pass a deterministic one)
 * - `defaultEngineSettings(model: string, overrides?: Partial<EngineSettings>): EngineSettings`
 *   (per-model defaults, including the calibrated `assignThreshold`)
 */
export type CreateClusterEngine = (
  settings: EngineSettings,
  options?: { snapshot?: EngineSnapshot; newId?: () => string },
) => ClusterEngine;
