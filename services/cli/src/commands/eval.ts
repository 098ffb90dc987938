import { parseArgs } from 'node:util';
import { createLocalProvider, datasetName, evaluateEmbeddings, readLabelledTexts } from '@trendmill/embedder';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { evaluateClusterStream } from './eval-cluster.js';

type Provider = Parameters<typeof evaluateEmbeddings>[1];

/** Embedders the evaluation can run, by name; each is built fresh for one run and closed after. */
const EMBEDDERS: Record<string, () => Provider> = {
  local: () => createLocalProvider(),
};

const usage = `Usage:
  trendmill eval embed --data FILE [--embedder NAME] [--k N] [--restarts N] [--seed N] [--limit N]
  trendmill eval cluster --data FILE [--embedder NAME] [--seed N] [--limit N]

Measures how well an embedder's vectors cluster a labelled data set: embeds every text of FILE
(JSON lines of {"id","text","label"}, e.g. shared/data/tweet/items.jsonl), runs k-means with
k = the number of labels, and scores the clusters against the labels with ACC (Hungarian
matching), NMI and ARI, as the published short-text clustering results do. Progress goes to
stderr; the last stdout line is one JSON object:
{"dataset","n","k","embedder","acc","nmi","ari","seconds"}.

eval cluster streams the same items through the pipeline's own code (normalizer domain → embedder
→ clusterer engine) in a shuffled order, publication times spread over 7 days, discovery whenever
the engine asks for it, then a forced final pass. The clusterer is not told k. Items left in the
pool count as singleton clusters. Last stdout line:
{"dataset","n","embedder","clusters","noise_fraction","acc","nmi","ari","stability","seconds"},
stability being the share of clustered items whose cluster id survives one more discovery pass.

  --embedder   ${Object.keys(EMBEDDERS).join(', ')} (default local)
  --k          number of clusters (default: the number of distinct labels)
  --restarts   k-means runs with different seeds, the lowest inertia wins (default 10)
  --seed       seed of the k-means randomness / the cluster stream's order (default 0)
  --limit      use only the first N items of FILE`;

export const evalCommand: Command = {
  summary: 'measure embedding quality by clustering a labelled data set',
  usage,
  async run(argv) {
    const { values, positionals } = parseArguments(argv);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (action !== 'embed' && action !== 'cluster')
      throw new UsageError(action ? `unknown evaluation "${action}"` : 'expected "embed" or "cluster"');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (!values.data) throw new UsageError('--data FILE is required');
    const name = values.embedder ?? 'local';
    const create = EMBEDDERS[name];
    if (!create)
      throw new UsageError(
        `unknown embedder "${name}"; known embedders: ${Object.keys(EMBEDDERS).join(', ')}`,
      );
    const k = integer(values.k, '--k', 1);
    const restarts = integer(values.restarts, '--restarts', 1) ?? 10;
    const seed = integer(values.seed, '--seed', 0) ?? 0;
    const limit = integer(values.limit, '--limit', 1);

    if (action === 'cluster') {
      if (values.k !== undefined || values.restarts !== undefined)
        throw new UsageError(
          'eval cluster takes no --k or --restarts: the clusterer finds the topics itself',
        );
      return evaluateCluster(values.data, name, create, seed, limit);
    }

    const started = performance.now();
    const items = await readLabelledTexts(values.data, limit === undefined ? {} : { limit });
    const labels = new Set(items.map((item) => item.label)).size;
    if (k !== undefined && k > items.length)
      throw new UsageError(`--k ${k} exceeds the number of items (${items.length})`);
    progress(`read ${items.length} items with ${labels} labels from ${values.data}`);

    const provider = create();
    try {
      let reported = 0;
      const result = await evaluateEmbeddings(items, provider, {
        ...(k === undefined ? {} : { k }),
        restarts,
        seed,
        onProgress: ({ phase, done, total }) => {
          if (phase === 'embed' && (done === total || done - reported >= total / 10)) {
            reported = done;
            progress(`embedding with ${provider.model}: ${done}/${total}`);
          } else if (phase === 'cluster' && done === 0) {
            progress(`k-means: k=${k ?? labels}, ${restarts} restart(s), seed ${seed}`);
          }
        },
      });
      progress(
        `embedded in ${result.embedSeconds.toFixed(1)} s (${Math.round(result.n / result.embedSeconds)} texts/s), ` +
          `clustered in ${result.clusterSeconds.toFixed(1)} s`,
      );
      console.log(
        JSON.stringify({
          dataset: datasetName(values.data),
          n: result.n,
          k: result.k,
          embedder: name,
          acc: round(result.acc),
          nmi: round(result.nmi),
          ari: round(result.ari),
          seconds: round((performance.now() - started) / 1000, 2),
        }),
      );
      return 0;
    } finally {
      await provider.close();
    }
  },
};

async function evaluateCluster(
  data: string,
  name: string,
  create: () => Provider,
  seed: number,
  limit: number | undefined,
): Promise<number> {
  const started = performance.now();
  const items = await readLabelledTexts(data, limit === undefined ? {} : { limit });
  const labels = new Set(items.map((item) => item.label)).size;
  progress(`read ${items.length} items with ${labels} labels from ${data} (the clusterer is not told)`);
  const provider = create();
  try {
    let reported = 0;
    const result = await evaluateClusterStream(items, provider, {
      seed,
      onProgress: ({ phase, done, total, clusters }) => {
        if (phase === 'embed' && (done === total || done - reported >= total / 10)) {
          reported = done;
          progress(`normalized and embedded with ${provider.model}: ${done}/${total}`);
        } else if (phase === 'stream') {
          progress(`streamed ${done}/${total} items into the engine: ${clusters} live clusters`);
        }
      },
    });
    progress(
      `embedded in ${result.embedSeconds.toFixed(1)} s, clustered in ${result.clusterSeconds.toFixed(1)} s ` +
        `(${result.discoveries} discovery passes, ${result.merges} merges, minClusterSize ${result.settings.minClusterSize})`,
    );
    console.log(
      JSON.stringify({
        dataset: datasetName(data),
        n: result.n,
        embedder: name,
        clusters: result.clusters,
        noise_fraction: round(result.noiseFraction),
        acc: round(result.acc),
        nmi: round(result.nmi),
        ari: round(result.ari),
        stability: round(result.stability),
        seconds: round((performance.now() - started) / 1000, 2),
      }),
    );
    return 0;
  } finally {
    await provider.close();
  }
}

function parseArguments(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        embedder: { type: 'string' },
        k: { type: 'string' },
        restarts: { type: 'string' },
        seed: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // node:util reports unknown options and missing values as TypeErrors; they are usage mistakes.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function integer(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min)
    throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
  return number;
}

function progress(message: string): void {
  process.stderr.write(`eval: ${message}\n`);
}

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}
