import { join } from 'node:path';
import { sharedDataDir } from './data-dir.js';
import { machine } from './machine.js';
import { evaluateEmbeddings, readLabelledTexts } from '../services/embedder/src/eval/index.js';
import { createLocalProvider } from '../services/embedder/src/providers/local/index.js';

/**
 * Embedding quality as clustering quality: for each labelled set in the shared data, embed every
 * text with the built-in local provider, run k-means (k = number of labels, 10 restarts, seed 0)
 * and score ACC / NMI / ARI as SCCL and scikit-learn do. The acceptance bar is the classical
 * baseline fitted on each set itself: NMI at least that of TF-IDF → LSA(100) → KMeans.
 *
 * Args: [dataset ...] (default: all five); TRENDMILL_DATA_DIR overrides the data folder.
 */

/**
 * TF-IDF (sublinear tf, min_df=2) → LSA (TruncatedSVD, 100 components, L2-normalised) → KMeans
 * (n_init=10, random_state=0), scikit-learn 1.2.1, from shared/data/BASELINES.md.
 */
const LSA_BASELINE: Record<string, { acc: number; nmi: number; ari: number }> = {
  'agnews-8000': { acc: 0.643, nmi: 0.479, ari: 0.462 },
  biomedical: { acc: 0.29, nmi: 0.225, ari: 0.119 },
  searchsnippets: { acc: 0.313, nmi: 0.195, ari: 0.076 },
  stackoverflow: { acc: 0.705, nmi: 0.666, ari: 0.416 },
  tweet: { acc: 0.589, nmi: 0.827, ari: 0.451 },
};
const RESTARTS = 10;
const SEED = 0;

export async function run(args: string[]): Promise<void> {
  const datasets = args.length > 0 ? args : Object.keys(LSA_BASELINE);
  const unknown = datasets.filter((name) => !LSA_BASELINE[name]);
  if (unknown.length > 0)
    throw new Error(
      `unknown data set(s) ${unknown.join(', ')}; known: ${Object.keys(LSA_BASELINE).join(', ')}`,
    );
  const dataDir = sharedDataDir();
  const started = performance.now();

  const provider = createLocalProvider();
  const loadStarted = performance.now();
  await provider.warmUp();
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  const lines = [];
  for (const dataset of datasets) {
    const items = await readLabelledTexts(join(dataDir, dataset, 'items.jsonl'));
    const result = await evaluateEmbeddings(items, provider, { restarts: RESTARTS, seed: SEED });
    const baselineNmi = LSA_BASELINE[dataset]!.nmi;
    const line = {
      bench: 'embed-quality',
      dataset,
      n: result.n,
      k: result.k,
      embedder: result.embedder,
      model: result.model,
      acc: round(result.acc),
      nmi: round(result.nmi),
      ari: round(result.ari),
      baselineNmi,
      ratio: round(result.nmi / baselineNmi),
      pass: result.nmi >= baselineNmi,
      baseline: LSA_BASELINE[dataset],
      embedSeconds: round(result.embedSeconds, 2),
      clusterSeconds: round(result.clusterSeconds, 2),
      textsPerSecond: Math.round(result.n / result.embedSeconds),
    };
    console.log(JSON.stringify(line));
    lines.push(line);
  }
  await provider.close();

  const texts = lines.reduce((sum, line) => sum + line.n, 0);
  const embedSeconds = lines.reduce((sum, line) => sum + line.embedSeconds, 0);
  console.log(
    JSON.stringify({
      bench: 'embed-quality',
      summary: true,
      embedder: provider.kind,
      model: provider.model,
      dim: provider.dim,
      acceptance: 'NMI >= TF-IDF+LSA+KMeans baseline NMI on every data set',
      pass: lines.every((line) => line.pass),
      passed: lines.filter((line) => line.pass).map((line) => line.dataset),
      failed: lines.filter((line) => !line.pass).map((line) => line.dataset),
      meanRatio: round(lines.reduce((sum, line) => sum + line.ratio, 0) / lines.length),
      minRatio: Math.min(...lines.map((line) => line.ratio)),
      kmeans: { restarts: RESTARTS, seed: SEED, init: 'greedy k-means++', metric: 'euclidean' },
      wordVectorLoadSeconds: round(loadSeconds, 2),
      textsPerSecond: Math.round(texts / embedSeconds),
      totalSeconds: round((performance.now() - started) / 1000, 1),
      machine: machine(),
    }),
  );
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}
