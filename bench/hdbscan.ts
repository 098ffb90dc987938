import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { hdbscan, type HdbscanOptions } from '../services/clusterer/src/algorithms/hdbscan/index.js';
import { adjustedRandIndex } from '../services/clusterer/src/algorithms/hdbscan/testing/adjusted-rand-index.js';
import {
  gaussianMixture,
  type MixtureOptions,
} from '../services/clusterer/src/algorithms/hdbscan/testing/synthetic.js';
import { machine } from './machine.js';
import { createLocalProvider } from '../services/embedder/src/providers/local/index.js';

/**
 * HDBSCAN (services/clusterer/src/algorithms/hdbscan) at scale: for each n, a seeded mixture of
 * gaussian clusters on the unit sphere (one per `--points-per-cluster` points, sizes skewed, offset
 * length drawn from `--spread`, i.e. cosine ~0.75–0.9 to the centre) plus uniform noise, clustered
 * once with the defaults. Each size runs in a fresh worker thread so the main thread can sample the
 * process RSS every 10 ms while the (synchronous) clustering runs: peakRssMb is the peak minus the
 * RSS after the data was generated. Prints one line per size, then the growth exponent b of
 * seconds ≈ a·n^b (least squares on log-log) and the acceptance check (20k points in < 30 s).
 *
 * Args: [--sizes 5000,10000,20000,40000] [--dim D] [--min-cluster-size 15] [--min-samples M]
 *       [--noise 0.1] [--points-per-cluster 400] [--spread 0.5,0.9] [--skew 0.5] [--seed 42]
 *       [--graph-neighbours K] [--refine-rounds R] [--quantization f16|f32]
 *       [--connectivity M] [--expansion-add E] [--expansion-search E]
 */
const ACCEPTANCE = { n: 20000, seconds: 30 };
const SAMPLE_MS = 10;

interface Job {
  hdbscanBench: true;
  mixture: MixtureOptions;
  options: HdbscanOptions;
}

interface Outcome {
  seconds: number;
  clusters: number;
  noiseFraction: number;
  ari: number;
  trueClusters: number;
  diagnostics: unknown;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: 'string', default: '5000,10000,20000,40000' },
      // The built-in local embedder's dimension (512): what the clusterer sees by default.
      dim: { type: 'string', default: String(createLocalProvider().dim) },
      'min-cluster-size': { type: 'string', default: '15' },
      'min-samples': { type: 'string' },
      noise: { type: 'string', default: '0.1' },
      'points-per-cluster': { type: 'string', default: '400' },
      spread: { type: 'string', default: '0.5,0.9' },
      skew: { type: 'string', default: '0.5' },
      seed: { type: 'string', default: '42' },
      'graph-neighbours': { type: 'string' },
      'refine-rounds': { type: 'string' },
      quantization: { type: 'string' },
      connectivity: { type: 'string' },
      'expansion-add': { type: 'string' },
      'expansion-search': { type: 'string' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const dim = Number(values.dim);
  const [low, high] = values.spread.split(',').map(Number) as [number, number];
  const number = (name: keyof typeof values) =>
    values[name] === undefined ? undefined : Number(values[name]);
  const hnsw = {
    ...(values.quantization ? { quantization: values.quantization as 'f16' | 'f32' } : {}),
    ...(values.connectivity ? { connectivity: number('connectivity') } : {}),
    ...(values['expansion-add'] ? { expansionAdd: number('expansion-add') } : {}),
    ...(values['expansion-search'] ? { expansionSearch: number('expansion-search') } : {}),
  };
  const options: HdbscanOptions = {
    minClusterSize: Number(values['min-cluster-size']),
    ...(values['min-samples'] ? { minSamples: number('min-samples') } : {}),
    ...(values['graph-neighbours'] ? { graphNeighbours: number('graph-neighbours') } : {}),
    ...(values['refine-rounds'] ? { knnGraph: { refineRounds: number('refine-rounds') } } : {}),
    ...(Object.keys(hnsw).length > 0 ? { hnsw } : {}),
  };

  const points: Array<{ n: number; seconds: number }> = [];
  for (const n of sizes) {
    const mixture: MixtureOptions = {
      n,
      dim,
      clusters: Math.max(2, Math.round(n / Number(values['points-per-cluster']))),
      noiseFraction: Number(values.noise),
      spread: [low, high],
      skew: Number(values.skew),
      seed: Number(values.seed) + n,
    };
    const { outcome, peakRssMb } = await measureInWorker({ hdbscanBench: true, mixture, options });
    points.push({ n, seconds: outcome.seconds });
    console.log(
      JSON.stringify({
        bench: 'hdbscan',
        n,
        dim,
        seconds: round(outcome.seconds, 2),
        peakRssMb: round(peakRssMb, 1),
        clusters: outcome.clusters,
        noiseFraction: round(outcome.noiseFraction, 4),
        ari: round(outcome.ari, 4),
        generated: {
          clusters: outcome.trueClusters,
          noiseFraction: mixture.noiseFraction,
          spread: mixture.spread,
        },
        options,
        diagnostics: outcome.diagnostics,
      }),
    );
  }

  const fit = powerLawFit(points);
  const accepted = points.find((p) => p.n === ACCEPTANCE.n);
  console.log(
    JSON.stringify({
      bench: 'hdbscan',
      summary: true,
      growthExponent: round(fit.b, 3),
      coefficient: fit.a,
      fittedOn: points.map((p) => p.n),
      acceptance: accepted
        ? {
            n: ACCEPTANCE.n,
            limitSeconds: ACCEPTANCE.seconds,
            seconds: round(accepted.seconds, 2),
            met: accepted.seconds < ACCEPTANCE.seconds,
          }
        : { skipped: `no run at n = ${ACCEPTANCE.n}` },
      machine: machine(),
    }),
  );
}

/** Runs one clustering in a worker while this thread samples the process RSS. */
async function measureInWorker(job: Job): Promise<{ outcome: Outcome; peakRssMb: number }> {
  // Workers do not inherit tsx's loader hooks: the worker registers them, then loads this file.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: job });
  let baseline = 0;
  let peak = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await new Promise<Outcome>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`hdbscan bench worker exited with code ${code}`)));
      worker.on('message', (message: { ready?: true; outcome?: Outcome }) => {
        if (message.ready) {
          baseline = process.memoryUsage().rss;
          peak = baseline;
          timer = setInterval(() => {
            peak = Math.max(peak, process.memoryUsage().rss);
          }, SAMPLE_MS);
          worker.postMessage('go');
        } else if (message.outcome) {
          resolve(message.outcome);
        }
      });
    });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { outcome, peakRssMb: (peak - baseline) / 2 ** 20 };
  } finally {
    clearInterval(timer);
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

/** Worker side: generate the data, wait for the go (baseline taken), cluster, report. */
function workerMain(job: Job): void {
  const port = parentPort!;
  const data = gaussianMixture(job.mixture);
  port.once('message', () => {
    const started = performance.now();
    const result = hdbscan(data.vectors, job.options);
    const seconds = (performance.now() - started) / 1000;
    const noise = result.labels.reduce((count, label) => count + (label < 0 ? 1 : 0), 0);
    const outcome: Outcome = {
      seconds,
      clusters: result.clusters.length,
      noiseFraction: noise / data.labels.length,
      ari: adjustedRandIndex(result.labels, data.labels),
      trueClusters: job.mixture.clusters,
      diagnostics: result.diagnostics,
    };
    port.postMessage({ outcome });
  });
  port.postMessage({ ready: true });
}

/** Least squares of log(seconds) on log(n): seconds ≈ a·n^b. */
function powerLawFit(points: Array<{ n: number; seconds: number }>): { a: number; b: number } {
  const xs = points.map((p) => Math.log(p.n));
  const ys = points.map((p) => Math.log(p.seconds));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  const b = sxx === 0 ? Number.NaN : sxy / sxx;
  return { a: Math.exp(my - b * mx), b };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

if (!isMainThread && (workerData as Partial<Job> | null)?.hdbscanBench) workerMain(workerData as Job);
