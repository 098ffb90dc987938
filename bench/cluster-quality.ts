import { join } from 'node:path';
import { sharedDataDir } from './data-dir.js';
import { machine } from './machine.js';
import { evaluateClusterStream } from '../services/cli/src/commands/eval-cluster.js';
import { evaluateEmbeddings, readLabelledTexts } from '../services/embedder/src/eval/index.js';
import { createLocalProvider } from '../services/embedder/src/providers/local/index.js';

/**
 * Topic discovery quality: for each labelled set in the shared data, `eval cluster` (the streaming
 * engine, not told k; noise counted as singletons) beside `eval embed` (k-means told k, same
 * embedder, 10 restarts, seed 0). Acceptance: the clusterer's NMI at least 0.9 × k-means' NMI, and
 * at least 95 % of clustered items keep their cluster id over one more discovery pass.
 *
 * Args: [dataset ...] (default: all five); TRENDMILL_DATA_DIR overrides the data folder.
 */
const DATASETS = ['agnews-8000', 'biomedical', 'searchsnippets', 'stackoverflow', 'tweet'];
const NMI_RATIO = 0.9;
const MIN_STABILITY = 0.95;
const RESTARTS = 10;
const SEED = 0;

export async function run(args: string[]): Promise<void> {
  const datasets = args.length > 0 ? args : DATASETS;
  const unknown = datasets.filter((name) => !DATASETS.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown data set(s) ${unknown.join(', ')}; known: ${DATASETS.join(', ')}`);
  const dataDir = sharedDataDir();
  const started = performance.now();
  const provider = createLocalProvider();
  await provider.warmUp();

  const lines = [];
  for (const dataset of datasets) {
    const items = await readLabelledTexts(join(dataDir, dataset, 'items.jsonl'));
    const cluster = await evaluateClusterStream(items, provider, { seed: SEED });
    const kmeans = await evaluateEmbeddings(items, provider, { restarts: RESTARTS, seed: SEED });
    const ratio = cluster.nmi / kmeans.nmi;
    const line = {
      bench: 'cluster-quality',
      dataset,
      n: cluster.n,
      labels: kmeans.k,
      clusters: cluster.clusters,
      noiseFraction: round(cluster.noiseFraction),
      clusterNmi: round(cluster.nmi),
      kmeansNmi: round(kmeans.nmi),
      ratio: round(ratio),
      clusterAcc: round(cluster.acc),
      clusterAri: round(cluster.ari),
      stability: round(cluster.stability),
      passNmi: ratio >= NMI_RATIO,
      passStability: cluster.stability >= MIN_STABILITY,
      pass: ratio >= NMI_RATIO && cluster.stability >= MIN_STABILITY,
      discoveries: cluster.discoveries,
      merges: cluster.merges,
      settings: {
        assignThreshold: cluster.settings.assignThreshold,
        minClusterSize: cluster.settings.minClusterSize,
        minSamples: cluster.settings.minSamples,
        discoveryPoolTrigger: cluster.settings.discoveryPoolTrigger,
        mergeThreshold: cluster.settings.mergeThreshold,
      },
      clusterSeconds: round(cluster.clusterSeconds, 2),
      kmeansSeconds: round(kmeans.clusterSeconds, 2),
    };
    console.log(JSON.stringify(line));
    lines.push(line);
  }
  await provider.close();

  console.log(
    JSON.stringify({
      bench: 'cluster-quality',
      summary: true,
      model: provider.model,
      acceptance: `clusterer NMI >= ${NMI_RATIO} x k-means(k = labels) NMI and stability >= ${MIN_STABILITY} on every data set`,
      pass: lines.every((line) => line.pass),
      passed: lines.filter((line) => line.pass).map((line) => line.dataset),
      failed: lines.filter((line) => !line.pass).map((line) => line.dataset),
      minRatio: Math.min(...lines.map((line) => line.ratio)),
      minStability: Math.min(...lines.map((line) => line.stability)),
      totalSeconds: round((performance.now() - started) / 1000, 1),
      machine: machine(),
    }),
  );
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}
