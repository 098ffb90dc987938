import { execFileSync } from 'node:child_process';
import { startBenchEmbedded } from './support/embedded-app.js';
import { machine } from './machine.js';
import { ApiClient } from './support/api-client.js';
import { itemSource } from './support/corpus.js';
import { growthExponent, round } from './support/numbers.js';
import { startSqlProfile, windowTable, type SqlProfile } from './support/sql-profile.js';

/**
 * How cost grows with volume in the embedded default: for each N, a fresh data directory, N items
 * pushed through the gateway in batches of 500 until every one is queryable (or flagged a
 * duplicate); then items/s, RSS and heap, and the data directory's size. One JSON line per N, and
 * a last one with the fitted growth exponents (time and memory ∝ N^b).
 *
 * Args: N... (default 10000 100000; 1000000 only when asked). Progress on stderr.
 * TRENDMILL_BENCH_SQL_PROFILE=PREFIX also writes PREFIX-N.jsonl, the embedded database's time per
 * SQL statement every minute (support/sql-profile.ts), and prints its windows on stderr; the
 * probe costs some throughput, so figures of a profiled run are not recorded as the bench's own.
 * PGlite stays where the run puts it (its own thread unless TRENDMILL_PGLITE_THREAD=off).
 */
/** A size is given up (reported incomplete) when nothing new became queryable for this long. */
const STALL_LIMIT_MS = 5 * 60_000;

export async function run(args: string[]): Promise<void> {
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const points: Array<{ n: number; seconds: number; rss: number; heap: number }> = [];
  for (const n of sizes.length ? sizes : [10_000, 100_000]) {
    const result = await measure(n);
    console.log(JSON.stringify({ bench: 'scale', topology: 'embedded', ...result, machine: machine() }));
    if (!result.complete) break;
    points.push({ n, seconds: result.seconds, rss: result.rss_mib_end, heap: result.heap_used_mib_end });
  }
  console.log(
    JSON.stringify({
      bench: 'scale',
      summary: true,
      points: points.map((p) => p.n),
      time_exponent: round(
        growthExponent(
          points.map((p) => p.n),
          points.map((p) => p.seconds),
        ) ?? NaN,
        2,
      ),
      rss_exponent: round(
        growthExponent(
          points.map((p) => p.n),
          points.map((p) => p.rss),
        ) ?? NaN,
        2,
      ),
      heap_exponent: round(
        growthExponent(
          points.map((p) => p.n),
          points.map((p) => p.heap),
        ) ?? NaN,
        2,
      ),
      rule: 'exponent b of a·N^b fitted in log-log space: 1 = linear time (constant items/s), 0 = flat memory',
    }),
  );
}

async function measure(n: number) {
  const profilePrefix = process.env.TRENDMILL_BENCH_SQL_PROFILE;
  const profileFile = profilePrefix ? `${profilePrefix}-${n}.jsonl` : undefined;
  // Where the embedded database runs decides how it is observed (see support/sql-profile.ts).
  const where = process.env.TRENDMILL_PGLITE_THREAD === 'off' ? 'main' : 'thread';
  const profile: SqlProfile | undefined = profileFile
    ? startSqlProfile(profileFile, 60_000, where)
    : undefined;
  if (profile) progress(`n=${n}: SQL profile on, PGlite in the ${where} thread`);
  const app = await startBenchEmbedded('scale').catch((error: unknown) => {
    profile?.stop();
    throw error;
  });
  const dataDir = app.dataDir;
  try {
    const api = new ApiClient(app.base, app.key);
    const next = itemSource(`scale-${n}-${Date.now().toString(36)}`);
    const start = performance.now();
    let done = 0;
    let lastChange = start;
    // /stats counts the read model with full scans (exact counts): at 50k items one call took a
    // good share of a second of the very thread under measurement, and polled every 500 ms it
    // cost more than the pipeline. Polls are spaced to 10× their own duration (1–10 s), so
    // watching costs at most a tenth of the run.
    let pollMs = 1000;
    let duplicates = 0;
    const queryable = async () => {
      const asked = performance.now();
      const s = (await api.get<{ items: number; duplicates: number }>('/api/v1/stats', 10)).body;
      pollMs = Math.min(10_000, Math.max(1000, 10 * (performance.now() - asked)));
      duplicates = s.duplicates;
      return s.items + s.duplicates;
    };
    const pause = () => new Promise((r) => setTimeout(r, pollMs));
    // At most two batches ahead of what is queryable, so the backlog stays bounded.
    for (let sent = 0; sent < n;) {
      const size = Math.min(500, n - sent);
      const items = Array.from({ length: size }, (_, j) => next(sent + j));
      const res = await api.post('/api/v1/ingest/batch', { source: 'scale', items });
      if (res.status >= 300) throw new Error(`ingest answered ${res.status}`);
      sent += size;
      const stalled = () => performance.now() - lastChange > STALL_LIMIT_MS;
      while (!stalled()) {
        const now = await queryable();
        if (now !== done) lastChange = performance.now();
        done = now;
        if (sent - done <= 1000) break;
        await pause();
      }
      progress(
        `n=${n}: sent ${sent}, queryable ${done}, ${round(done / ((performance.now() - start) / 1000))} items/s`,
      );
      if (stalled()) break;
    }
    while (done < n && performance.now() - lastChange <= STALL_LIMIT_MS) {
      await pause();
      const now = await queryable();
      if (now !== done) lastChange = performance.now();
      done = now;
    }
    const seconds = (performance.now() - start) / 1000;
    const memory = process.memoryUsage();
    return {
      n,
      complete: done >= n,
      queryable: done,
      /** Of them, flagged near-duplicates (stopped at the normalizer: cheaper than the others). */
      duplicates,
      seconds: round(seconds),
      items_per_s: round(done / seconds),
      rss_mib_end: round(memory.rss / 2 ** 20),
      heap_used_mib_end: round(memory.heapUsed / 2 ** 20),
      external_mib_end: round(memory.external / 2 ** 20),
      data_dir_mib: round(
        Number(execFileSync('du', ['-sk', dataDir], { encoding: 'utf8' }).split('\t')[0]) / 1024,
      ),
    };
  } finally {
    if (profile) progress(`n=${n}: SQL time per statement (${profileFile})\n${windowTable(profile.stop())}`);
    await app.stop();
  }
}

function progress(message: string): void {
  process.stderr.write(`scale: ${message}\n`);
}
