import { parseArgs } from 'node:util';
import { machine } from './machine.js';
import {
  createClusterEngine,
  defaultEngineSettings,
  type ClusterState,
} from '../services/clusterer/src/domain/index.js';
import { CentroidIndex } from '../services/clusterer/src/domain/centroid-index.js';
import { TopicStream } from '../services/clusterer/src/domain/testing/topics.js';
import { LOCAL_MODEL } from '../services/embedder/src/providers/local/index.js';
import { createLocalProvider } from '../services/embedder/src/providers/local/index.js';

/**
 * Streaming assignment throughput: an engine restored with 1,000 and 10,000 live clusters (seeded
 * random topic centroids of the local model's dimension), then items streamed through `add`, each
 * finding its nearest centroid and joining it (centroid, c-TF-IDF counts, trend histogram and
 * description updated, the change built). Baseline in the same run: the brute-force exact scan
 * over the same centroids (CentroidIndex.nearestExact), per query. Also reports how often the
 * graph's answer equals the exact one (recall@1).
 *
 * Args: [--clusters 1000,10000] [--items 5000] [--seed 1]
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      clusters: { type: 'string', default: '1000,10000' },
      items: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
    },
  });
  const dim = createLocalProvider().dim;
  const itemCount = Number(values.items);
  for (const clusterCount of values.clusters.split(',').map(Number)) {
    const stream = new TopicStream({ dim, closeness: 0.8, seed: Number(values.seed), model: LOCAL_MODEL });
    const settings = defaultEngineSettings(LOCAL_MODEL, { discoveryPoolTrigger: Number.MAX_SAFE_INTEGER });
    const t0 = Date.UTC(2026, 0, 1);
    const clusters: ClusterState[] = [];
    for (let c = 0; c < clusterCount; c++)
      clusters.push(seedCluster(`cluster-${c}`, stream.direction(c), t0));
    const items = Array.from({ length: itemCount }, (_, i) => stream.item(i % clusterCount, t0 + i * 1000));

    const engine = createClusterEngine(settings, { snapshot: { clusters, items: [] } });
    let assigned = 0;
    const started = performance.now();
    for (const item of items) {
      const { changes } = engine.add(item, item.publishedAt);
      if (changes.some((change) => change.kind === 'item-clustered' && change.clusterId !== null)) assigned++;
    }
    const engineSeconds = (performance.now() - started) / 1000;

    // The nearest-centroid search alone, graph versus exhaustive scan over the same centroids.
    const index = new CentroidIndex(dim);
    for (const cluster of clusters) index.set(cluster.clusterId, cluster.centroid);
    const graphStarted = performance.now();
    const graphAnswers = items.map((item) => index.nearest(item.vector, 1)[0]?.key);
    const graphSeconds = (performance.now() - graphStarted) / 1000;
    const exactStarted = performance.now();
    const exactAnswers = items.map((item) => index.nearestExact(item.vector, 1)[0]?.key);
    const exactSeconds = (performance.now() - exactStarted) / 1000;
    const agree = graphAnswers.filter((key, i) => key === exactAnswers[i]).length;

    console.log(
      JSON.stringify({
        bench: 'assign',
        liveClusters: clusterCount,
        dim,
        items: itemCount,
        assignedFraction: round(assigned / itemCount),
        engineAddsPerSecond: Math.round(itemCount / engineSeconds),
        nearestPerSecond: Math.round(itemCount / graphSeconds),
        bruteForcePerSecond: Math.round(itemCount / exactSeconds),
        speedup: round(exactSeconds / graphSeconds, 2),
        recallAt1: round(agree / itemCount),
        search: clusterCount >= 1024 ? 'usearch HNSW candidates, exact re-score' : 'exact scan',
        machine: machine(),
      }),
    );
  }
}

/** A live cluster of 20 members around `direction`, as a snapshot would hold it. */
function seedCluster(clusterId: string, direction: Float32Array, at: number): ClusterState {
  const size = 20;
  return {
    clusterId,
    model: LOCAL_MODEL,
    version: 1,
    status: 'active',
    size,
    centroid: direction,
    label: clusterId,
    keywords: [],
    representativeItemIds: [],
    emergingScore: 0,
    velocity: 0,
    createdAt: at,
    updatedAt: at,
    lastItemAt: at,
    internal: {
      format: 1,
      sum: Array.from(direction, (value) => value * size),
      terms: { documents: size, terms: { [clusterId.replace('-', '')]: size } },
      histogram: { bucketMs: 3_600_000, buckets: [[Math.floor(at / 3_600_000) * 3_600_000, size]] },
      describedSize: size,
    },
  };
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}
