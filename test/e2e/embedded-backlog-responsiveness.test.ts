import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, waitFor } from '@trendmill/platform/testing';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(repo, 'services/cli/bin/trendmill.js');
const corpus = join(repo, 'deploy/sample-data/stackoverflow-demo.jsonl');
const BACKLOG = 500;

/**
 * A stall detector, not a performance figure: while the embedded default worked through a backlog,
 * requests used to wait 7–20 s (one event loop, held by the in-memory broker's synchronous
 * delivery, PGlite statements, the first word-vector load and discovery); now they take well
 * under half a second. The bound is far above that, so a slow machine does not trip it.
 */
const STALL_MS = 2_000;

interface Probe {
  path: string;
  latencies: number[];
  failures: string[];
}

describe('embedded default: the gateway answers while a backlog is processed', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'trendmill-backlog-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    child = spawn(process.execPath, [cli, 'run', '--port', String(port), '--data', dataDir], {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        TRENDMILL_SAMPLE_DATA: 'off',
        TRENDMILL_DEFAULT_SOURCES: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: () => `trendmill run ready (output: ${output})`,
    });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps cheap GETs under ${STALL_MS} ms while ${BACKLOG} pushed items are normalized, embedded and clustered`, async () => {
    const key = readFileSync(join(dataDir, 'gateway-admin.key'), 'utf8').trim();
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const stats = async () =>
      (await (await fetch(`${base}/api/v1/stats`, { headers })).json()) as {
        items: number;
        clusters: { total: number };
      };

    let probing = true;
    // One request at a time per path, every 100 ms; a stalled loop shows as one long request.
    const probe = async (path: string): Promise<Probe> => {
      const result: Probe = { path, latencies: [], failures: [] };
      while (probing) {
        const started = performance.now();
        try {
          const res = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(20_000) });
          await res.arrayBuffer();
          if (res.status !== 200) result.failures.push(`${res.status}`);
        } catch (err) {
          result.failures.push(String((err as Error).cause ?? err));
        }
        const took = performance.now() - started;
        result.latencies.push(took);
        await sleep(Math.max(0, 100 - took));
      }
      return result;
    };
    const probes = Promise.all([probe('/healthz'), probe('/api/v1/clusters?limit=5')]);

    const items = readFileSync(corpus, 'utf8')
      .split('\n')
      .slice(0, BACKLOG)
      .map((line) => JSON.parse(line) as unknown);
    const pushed = await fetch(`${base}/api/v1/ingest/batch?source=backlog`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ items }),
    });
    expect(pushed.status, await pushed.clone().text()).to.equal(202);
    const { accepted } = (await pushed.json()) as { accepted: number };
    expect(accepted).to.equal(BACKLOG);

    // Processed: (nearly) every item in the read model (a near-duplicate may be dropped) and topics found.
    try {
      await waitFor(
        async () => {
          const now = await stats();
          return now.items >= BACKLOG * 0.95 && now.clusters.total > 0;
        },
        {
          timeoutMs: 40_000,
          intervalMs: 500,
          what: () => `the backlog in the read model (output: ${output})`,
        },
      );
    } finally {
      probing = false;
    }
    for (const { path, latencies, failures } of await probes) {
      expect(failures, `${path} failed`).to.deep.equal([]);
      expect(latencies.length, `${path} probes`).to.be.greaterThan(10);
      expect(Math.max(...latencies), `slowest ${path} of ${latencies.length}`).to.be.below(STALL_MS);
    }
  });
});
