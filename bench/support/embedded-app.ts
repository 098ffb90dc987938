import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from '../../services/cli/src/embedded/launcher.js';

export interface BenchEmbedded {
  /** The gateway's base URL (127.0.0.1, a free port) and the admin key. */
  base: string;
  key: string;
  dataDir: string;
  /** Stops the pipeline and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * The embedded default as the benches run it: a fresh temporary data directory, a free port, no
 * sample data and no public feeds, warnings only, and a rate limit no bench reaches.
 */
export async function startBenchEmbedded(label: string): Promise<BenchEmbedded> {
  const dataDir = mkdtempSync(join(tmpdir(), `trendmill-bench-${label}-`));
  const app = await startEmbedded({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'warn',
    sampleData: false,
    defaultSources: false,
    gateway: { rateLimitPerMinute: 100_000_000 },
  }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    base: app.url.replace('localhost', '127.0.0.1'),
    key: app.apiKey.key,
    dataDir,
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
