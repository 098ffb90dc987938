import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { machine } from '../machine.js';

/** One `npm run bench -- NAME ARGS` run: what it printed and where, when and how it ran. */
export interface RecordedRun {
  bench: string;
  args: string[];
  command: string;
  /** ISO time the run finished. */
  date: string;
  seconds: number;
  machine: ReturnType<typeof machine>;
  /** 1-minute load average when the run started: figures from a busy machine are not comparable. */
  loadAtStart: number;
  /** Every JSON object the bench printed on stdout, in order. */
  lines: Record<string, unknown>[];
}

/** bench/results, committed: BENCHMARKS.md is rendered from it. TRENDMILL_BENCH_RESULTS overrides. */
export function resultsDir(): string {
  return process.env.TRENDMILL_BENCH_RESULTS ?? fileURLToPath(new URL('../results', import.meta.url));
}

const fileOf = (dir: string, bench: string) => join(dir, `${bench}.jsonl`);
const sameArgs = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function readRuns(dir: string, bench: string): RecordedRun[] {
  const file = fileOf(dir, bench);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedRun)
    .map((run) => ({ ...run, lines: run.lines.filter((l) => !isLogRecord(l)) }));
}

/** Names of every bench with a results file. */
export function recordedBenches(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

/**
 * Replace-per-args: a new run replaces the earlier run with the same arguments and keeps runs with
 * other arguments (api at 10k and at 100k items are different figures, a rerun of the same one is
 * a newer figure). The file stays one line per argument set; git keeps the history.
 */
export function saveRun(dir: string, run: RecordedRun): void {
  mkdirSync(dir, { recursive: true });
  const kept = readRuns(dir, run.bench).filter((r) => !sameArgs(r.args, run.args));
  writeFileSync(fileOf(dir, run.bench), [...kept, run].map((r) => JSON.stringify(r) + '\n').join(''));
}

/**
 * A log record of the code under measurement (the services log JSON to stdout, as a bench's
 * figures are printed): not a figure.
 */
function isLogRecord(value: object): boolean {
  const v = value as Record<string, unknown>;
  return !('bench' in v) && typeof v.level === 'string' && typeof v.message === 'string';
}

/** The JSON objects in a bench's stdout; progress text, log records and other lines are not figures. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value) && !isLogRecord(value))
        objects.push(value as Record<string, unknown>);
    } catch {
      // A line that only looks like JSON is progress output, not a figure.
    }
  }
  return objects;
}

/** How a person reruns it: the same words `npm run bench` takes. */
export function benchCommand(bench: string, args: string[]): string {
  const quote = (a: string) => (/^[\w.,=:/@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['npm run bench --', bench, ...args.map(quote)].join(' ');
}
