import os from 'node:os';
import { machine } from '../machine.js';
import { benchCommand, jsonLines, resultsDir, saveRun } from './recorded-run.js';

/**
 * Tees this process's stdout while a bench runs; `save()` writes what it printed, with the
 * command, date and machine, to bench/results/NAME.jsonl. TRENDMILL_BENCH_RECORD=off for runs
 * that should leave no trace (trying out odd arguments). A run under the SQL profile probe
 * (TRENDMILL_BENCH_SQL_PROFILE, support/sql-profile.ts) is slowed by it, so it is not recorded either.
 */
export function recordBench(bench: string, args: string[]): { save(): void } {
  if (process.env.TRENDMILL_BENCH_RECORD === 'off' || process.env.TRENDMILL_BENCH_SQL_PROFILE)
    return { save: () => undefined };
  const started = performance.now();
  const loadAtStart = Number(os.loadavg()[0]!.toFixed(2));
  let printed = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    save() {
      process.stdout.write = write;
      const lines = jsonLines(printed);
      if (lines.length === 0) return;
      const dir = resultsDir();
      saveRun(dir, {
        bench,
        args,
        command: benchCommand(bench, args),
        date: new Date().toISOString(),
        seconds: Math.round((performance.now() - started) / 100) / 10,
        machine: machine(),
        loadAtStart,
        lines,
      });
      console.error(`recorded ${lines.length} result line(s) in ${dir}/${bench}.jsonl`);
    },
  };
}
