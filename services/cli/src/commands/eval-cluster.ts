import {
  createClusterEngine,
  settingsForVolume,
  type ClusterEngine,
  type EngineChange,
  type EngineSettings,
} from '@trendmill/clusterer';
import {
  clusteringScores,
  embeddingInput,
  seededRandom,
  type EmbeddingProvider,
  type LabelledText,
} from '@trendmill/embedder';
import { normalizeItem } from '@trendmill/normalizer';

/**
 * How well the clusterer finds a labelled set's topics on its own (no k given), through the code
 * path the pipeline runs: each text is normalised by the normalizer's domain code, embedded by the
 * provider from the embedder's input, and streamed through the engine in a shuffled order (fixed
 * seed) with publication times spread evenly over `spanMs`; discovery runs whenever the engine says
 * it is due (as the service does), maintenance after it, then a final forced discovery pass. Items
 * still in the pool count as singleton clusters for NMI/ARI (as unclustered noise would be shown).
 * `stability`: the share of clustered items whose cluster id survives one more discovery and
 * maintenance pass over the same data.
 */
export interface ClusterEvalOptions {
  seed?: number;
  /** Publication times are spread over this span (default 7 days). */
  spanMs?: number;
  /** Engine settings instead of `settingsForVolume(model, n)`. */
  settings?: Partial<EngineSettings>;
  onProgress?: (event: { phase: 'embed' | 'stream'; done: number; total: number; clusters?: number }) => void;
}

export interface ClusterEvalResult {
  n: number;
  model: string;
  clusters: number;
  noiseFraction: number;
  acc: number;
  nmi: number;
  ari: number;
  stability: number;
  /** Items the normalizer refused (empty after cleaning); they count as noise. */
  unreadable: number;
  discoveries: number;
  merges: number;
  settings: EngineSettings;
  embedSeconds: number;
  clusterSeconds: number;
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 1);

export async function evaluateClusterStream(
  items: readonly LabelledText[],
  provider: EmbeddingProvider,
  options: ClusterEvalOptions = {},
): Promise<ClusterEvalResult> {
  const order = shuffled(items.length, options.seed ?? 0);
  const spanMs = options.spanMs ?? 7 * DAY_MS;
  const end = EPOCH + spanMs;
  const timeOf = (position: number) => EPOCH + Math.floor((position / Math.max(1, items.length)) * spanMs);

  const embedStarted = performance.now();
  const prepared = order.map((index, position) => {
    const source = items[index]!;
    const publishedAt = new Date(timeOf(position)).toISOString();
    const result = normalizeItem(
      {
        itemId: source.id,
        sourceId: 'eval',
        sourceType: 'jsonl',
        externalId: source.id,
        title: '',
        content: source.text,
        publishedAt,
        collectedAt: publishedAt,
      },
      new Date(end),
    );
    return { source, normalized: result.ok ? result.item : undefined };
  });
  const readable = prepared.filter((entry) => entry.normalized !== undefined);
  const vectors: Float32Array[] = [];
  for (let start = 0; start < readable.length; start += provider.maxBatch) {
    const batch = readable
      .slice(start, start + provider.maxBatch)
      .map((entry) => embeddingInput(entry.normalized!));
    vectors.push(...(await provider.embed(batch)));
    options.onProgress?.({ phase: 'embed', done: vectors.length, total: readable.length });
  }
  const embedSeconds = (performance.now() - embedStarted) / 1000;

  const clusterStarted = performance.now();
  const settings = settingsForVolume(provider.model, Math.max(1, readable.length), options.settings);
  let nextId = 0;
  const engine = createClusterEngine(settings, {
    newId: () => `cluster-${String(++nextId).padStart(5, '0')}`,
  });
  const tracker = new MembershipTracker();
  let discoveries = 0;
  readable.forEach((entry, i) => {
    const { normalized, source } = entry;
    const publishedAt = Date.parse(normalized!.publishedAt);
    const result = engine.add(
      {
        itemId: source.id,
        model: provider.model,
        vector: vectors[i]!,
        text: `${normalized!.title}\n${normalized!.text}`,
        publishedAt,
        sourceId: 'eval',
        language: normalized!.language,
      },
      publishedAt,
    );
    tracker.apply(result.changes);
    if (result.discoveryDue) {
      discoveries++;
      cycle(engine, tracker, publishedAt);
    }
    if ((i + 1) % 1000 === 0 || i + 1 === readable.length)
      options.onProgress?.({
        phase: 'stream',
        done: i + 1,
        total: readable.length,
        clusters: engine.clusters().length,
      });
  });
  cycle(engine, tracker, end);
  discoveries++;
  const final = items.map((item) => tracker.clusterOf(item.id));
  cycle(engine, tracker, end);
  const again = items.map((item) => tracker.clusterOf(item.id));
  const clusterSeconds = (performance.now() - clusterStarted) / 1000;

  let clustered = 0;
  let kept = 0;
  final.forEach((clusterId, i) => {
    if (clusterId === null) return;
    clustered++;
    if (again[i] === clusterId) kept++;
  });
  const predicted = final.map((clusterId, i) => clusterId ?? `noise:${i}`);
  const scores = clusteringScores(
    items.map((item) => item.label),
    predicted,
  );
  return {
    n: items.length,
    model: provider.model,
    clusters: new Set(final.filter((id) => id !== null)).size,
    noiseFraction: (items.length - clustered) / Math.max(1, items.length),
    ...scores,
    stability: clustered === 0 ? 0 : kept / clustered,
    unreadable: items.length - readable.length,
    discoveries,
    merges: tracker.merges,
    settings,
    embedSeconds,
    clusterSeconds,
  };
}

function cycle(engine: ClusterEngine, tracker: MembershipTracker, now: number): void {
  tracker.apply(engine.discover(now));
  tracker.apply(engine.maintain(now));
}

/** Item → cluster as a subscriber of the engine's changes sees it (merges redirect whole clusters). */
export class MembershipTracker {
  private readonly clusterByItem = new Map<string, string | null>();
  private readonly mergedInto = new Map<string, string>();
  merges = 0;

  apply(changes: EngineChange[]): void {
    for (const change of changes) {
      if (change.kind === 'item-clustered') this.clusterByItem.set(change.itemId, change.clusterId);
      else if (change.kind === 'cluster-merged') {
        this.merges++;
        this.mergedInto.set(change.cluster.clusterId, change.intoClusterId);
      }
    }
  }

  clusterOf(itemId: string): string | null {
    let clusterId = this.clusterByItem.get(itemId) ?? null;
    while (clusterId !== null && this.mergedInto.has(clusterId)) clusterId = this.mergedInto.get(clusterId)!;
    return clusterId;
  }
}

/** Fisher–Yates with the embedder's seeded generator: the same seed gives the same order on every machine. */
function shuffled(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
