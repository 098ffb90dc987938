/**
 * `npm run benchmarks [-- NAME ...]`: re-runs every benchmark (or the named ones) with its standard
 * arguments, each recording its figures in bench/results/, then renders BENCHMARKS.md.
 * `npm run benchmarks -- --render-only` renders from what is recorded, running nothing.
 * A bench that fails is reported and the others still run; the exit code says whether all passed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { CATALOG } from './report/catalog.js';
import { readRuns, recordedBenches, resultsDir } from './report/recorded-run.js';
import { registryNames } from './report/registry.js';
import { renderBenchmarks, type BenchSection } from './report/render.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Catalog order first (grouped by issue), then registry entries the catalog does not know yet. */
function benchNames(registry: string[], recorded: string[]): string[] {
  const known = CATALOG.map((e) => e.name);
  const extra = [...new Set([...registry, ...recorded])].filter((n) => !known.includes(n)).sort();
  return [...known, ...extra];
}

/** Formatted as the repository's prettier would, so the lint tier accepts the generated file. */
async function render(): Promise<string> {
  const dir = resultsDir();
  const registry = registryNames(readFileSync(here('./run.ts'), 'utf8'));
  const sections: BenchSection[] = benchNames(registry, recordedBenches(dir)).map((name) => {
    const entry = CATALOG.find((e) => e.name === name);
    return { name, runs: readRuns(dir, name), ...(entry ? { entry } : {}) };
  });
  const file = here('../BENCHMARKS.md');
  const options = { ...(await resolveConfig(file)), filepath: file };
  writeFileSync(file, await format(renderBenchmarks(sections), options));
  return file;
}

const argv = process.argv.slice(2);
if (!argv.includes('--render-only')) {
  const registry = registryNames(readFileSync(here('./run.ts'), 'utf8'));
  const wanted = argv.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((n) => !registry.includes(n));
  if (unknown.length) {
    console.error(`unknown bench ${unknown.join(', ')} (known: ${registry.join(', ')})`);
    process.exit(2);
  }
  const names = benchNames(registry, []).filter((n) => (wanted.length ? wanted : registry).includes(n));
  const failed: string[] = [];
  const skipped = CATALOG.filter((e) => !registry.includes(e.name)).map((e) => e.name);
  if (skipped.length && !wanted.length)
    console.error(`not in bench/run.ts yet, not run: ${skipped.join(', ')}`);
  for (const [i, name] of names.entries()) {
    const args = CATALOG.find((e) => e.name === name)?.args ?? [];
    const started = Date.now();
    console.error(`\n[${i + 1}/${names.length}] npm run bench -- ${[name, ...args].join(' ')}`);
    const res = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', here('./run.ts'), name, ...args],
      { stdio: 'inherit' },
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    console.error(
      `[${i + 1}/${names.length}] ${name}: ${res.status === 0 ? 'done' : 'FAILED'} in ${seconds} s`,
    );
    if (res.status !== 0) failed.push(name);
  }
  if (failed.length) console.error(`\nfailed (their earlier figures, if any, stay): ${failed.join(', ')}`);
  console.error(`\nwrote ${await render()}`);
  process.exit(failed.length ? 1 : 0);
}
console.error(`wrote ${await render()}`);
