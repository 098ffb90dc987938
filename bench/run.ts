/**
 * `npm run bench -- <name> [args]`: runs one benchmark; each prints JSON lines to stdout.
 * `npm run bench` with no name lists them. A run that completes is recorded in bench/results/NAME.jsonl
 * (bench/report/record.ts), from which BENCHMARKS.md is rendered.
 */
import { recordBench } from './report/record.js';

const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  api: () => import('./api.js'),
  assign: () => import('./assign.js'),
  broker: () => import('./broker.js'),
  'cluster-quality': () => import('./cluster-quality.js'),
  'cluster-service': () => import('./cluster-service.js'),
  dedup: () => import('./dedup.js'),
  'deploy-startup': () => import('./deploy-startup.js'),
  embed: () => import('./embed.js'),
  'embed-quality': () => import('./embed-quality.js'),
  faults: () => import('./faults.js'),
  'gateway-subscriptions': () => import('./gateway-subscriptions.js'),
  hdbscan: () => import('./hdbscan.js'),
  load: () => import('./load.js'),
  normalize: () => import('./normalize.js'),
  'normalize-service': () => import('./normalize-service.js'),
  pipeline: () => import('./pipeline.js'),
  'pglite-thread': () => import('./pglite-thread.js'),
  'principal-components': () => import('./principal-components.js'),
  'query-projection': () => import('./query-projection.js'),
  'query-store': () => import('./query-store.js'),
  scale: () => import('./scale.js'),
  vectors: () => import('./vectors.js'),
};

const [name, ...args] = process.argv.slice(2);
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [args]`);
  process.exit(name ? 2 : 0);
}
const bench = await benches[name]!();
const recording = recordBench(name, args);
await bench.run(args);
recording.save();
