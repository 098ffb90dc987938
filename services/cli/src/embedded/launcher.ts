import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CollectorService,
  MAX_BATCH_ITEMS,
  createCollectorApp,
  createCollectorMetrics,
  readIngestItem,
  toCandidate,
  type Candidate,
} from '@trendmill/collector';

type Collector = CollectorService;
import {
  EmbedderService,
  MemoryEmbeddingCache,
  createEmbedderApp,
  createEmbedderMetrics,
  createProvider,
  providerForModel,
} from '@trendmill/embedder';
import {
  clustererSettingsFrom,
  clustererTunables,
  createClustererService,
  type ClustererService,
} from '@trendmill/clusterer';
import {
  createGatewayService,
  ensureLocalSecretKey,
  type GatewayService,
  type GatewayServiceSettings,
} from '@trendmill/gateway';
import { createNormalizerService } from '@trendmill/normalizer';
import { createInProcessQueryEmbedder, createQueryMetrics, createQueryService } from '@trendmill/query';
import { openEmbeddedVectorStore } from '@trendmill/vectors';
import {
  MemoryBroker,
  createLogger,
  createMetrics,
  loadConfig,
  openDatabase,
  processRegistry,
  startHealthServer,
  type Broker,
  type Database,
  type HealthServer,
  type LogLevel,
  type Logger,
} from '@trendmill/platform';
import { addDefaultSources } from './default-sources.js';
import { embeddedDatabaseUrl, embeddedLayout } from './data-layout.js';
import { renderStatusPage } from './status-page.js';

export interface EmbeddedOptions {
  port: number;
  host: string;
  dataDir: string;
  logLevel?: LogLevel;
  /**
   * JSONL files of posts imported on start (idempotent: a restart records nothing twice); false for
   * none. Default: the bundled samples (the synthetic week and the StackOverflow demo corpus).
   */
  sampleData?: string | readonly string[] | false;
  /** Gateway settings (rate limits, CORS, body size…) over the defaults. */
  gateway?: GatewayServiceSettings;
  /** Subscribe to a few well-known public feeds on the first start (default true). */
  defaultSources?: boolean;
  /** Told how far the sample import got, file by file (for a progress bar). */
  onSampleProgress?: (progress: SampleProgress) => void;
  /** CIDRs / host names the collector may fetch from although the SSRF guard would refuse them. */
  fetchAllowlist?: readonly string[];
  /**
   * Where the clusterer's tunables (`CLUSTERER_ASSIGN_THRESHOLD`, `CLUSTERER_DISCOVERY_INTERVAL_MS`…)
   * are read, as the distributed clusterer reads them; default process.env. A bad value fails the
   * start, naming the variable.
   */
  env?: NodeJS.ProcessEnv;
}

/** deploy/sample-data/posts.jsonl, from src/embedded or dist/embedded alike. */
export const BUNDLED_SAMPLE_DATA = fileURLToPath(
  new URL('../../../../deploy/sample-data/posts.jsonl', import.meta.url),
);
/** 3,000 real StackOverflow titles over one week: topics that emerge, fade and hold steady. */
export const BUNDLED_DEMO_CORPUS = fileURLToPath(
  new URL('../../../../deploy/sample-data/stackoverflow-demo.jsonl', import.meta.url),
);
const BUNDLED = [BUNDLED_SAMPLE_DATA, BUNDLED_DEMO_CORPUS];

export interface SampleProgress {
  file: string;
  /** Lines read so far, and in the whole file. */
  lines: number;
  totalLines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface Embedded {
  readonly url: string;
  readonly broker: Broker;
  readonly logger: Logger;
  readonly collector: Collector;
  readonly embedder: EmbedderService;
  readonly clusterer: ClustererService;
  readonly gateway: GatewayService;
  /** The admin key for local use (kept in <dataDir>/gateway-admin.key, mode 0600). */
  readonly apiKey: LocalApiKey;
  /** Resolves when the sample import finished, one report per file (empty when there is none). */
  readonly sampleImported: Promise<SampleImport[]>;
  stop(): Promise<void>;
}

export interface SampleImport {
  file: string;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface LocalApiKey {
  key: string;
  id: string;
  created: boolean;
  file: string;
}

interface Running {
  name: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: every Trendmill service in one process over the in-memory broker, each in
 * its own schema of the PGlite databases under the data directory (two: `data-layout.ts`).
 * Services join here as they are built; the status page on the public port lists those running.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const registry = processRegistry('trendmill');
  const logger = createLogger('trendmill', options.logLevel ?? 'info');
  const broker = new MemoryBroker('embedded');
  const startedAt = new Date();
  const clustererSettings = clustererSettingsFrom(loadConfig(clustererTunables, options.env ?? process.env));
  const services: string[] = [];
  const running: Running[] = [];
  const databases: Database[] = [];
  let http: HealthServer | undefined;
  let collector: Collector | undefined;
  let embedder: EmbedderService | undefined;
  let clusterer: ClustererService | undefined;
  let gateway: GatewayService | undefined;
  let apiKey: LocalApiKey | undefined;
  let sampleImported: Promise<SampleImport[]> = Promise.resolve([]);
  const importAbort = new AbortController();
  const stopAll = async () => {
    await http?.close();
    for (const r of running.reverse()) await r.stop();
    await broker.close();
    for (const db of databases) await db.close();
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const layout = embeddedLayout(options.dataDir);
    if (layout === 'shared')
      logger.info('data directory from before 2026-12-08: every service stays in its one PGlite database', {
        dataDir: options.dataDir,
      });
    const open = async (schema: string) => {
      const db = await openDatabase({ url: embeddedDatabaseUrl(options.dataDir, schema, layout), schema });
      databases.push(db);
      return db;
    };

    // Downstream first: each consumer is subscribed before anything upstream can publish to it.
    const provider = await createProvider({ provider: 'local' });
    // The word vectors take a few seconds to read: from now, while the services start, rather than
    // under the first backlog (a failure shows again at the first embed, where it is handled).
    void provider.warmUp?.().catch(() => undefined);
    const embedderLogger = logger.child({ service: 'embedder' });
    embedder = new EmbedderService({
      db: await open('embedder'),
      broker,
      provider,
      cache: new MemoryEmbeddingCache(),
      logger: embedderLogger,
      metrics: createEmbedderMetrics(registry),
      brokerMetrics: createMetrics('embedder', registry),
      providerFor: (model) => providerForModel(model, { provider: 'local' }),
    });
    const liveEmbedder = embedder;

    const vectors = await openEmbeddedVectorStore({ dir: join(options.dataDir, 'vectors') });
    running.push({ name: 'vectors', stop: () => vectors.close() });
    const query = createQueryService({
      db: await open('query'),
      broker,
      logger: logger.child({ service: 'query' }),
      vectors,
      embedder: createInProcessQueryEmbedder(async (text, signal) => ({
        model: liveEmbedder.model,
        vector: (await liveEmbedder.embedTexts([text], signal))[0]!,
      })),
      metrics: createMetrics('query', registry),
      queryMetrics: createQueryMetrics(registry),
    });
    await query.start();
    running.push({ name: 'query', stop: () => query.stop() });
    services.push('query — read model: cluster lists, full-text, semantic and hybrid search');

    clusterer = createClustererService(
      {
        db: await open('clusterer'),
        broker,
        logger: logger.child({ service: 'clusterer' }),
        metrics: createMetrics('clusterer', registry),
      },
      clustererSettings,
    );
    await clusterer.start();
    const startedClusterer = clusterer;
    running.push({ name: 'clusterer', stop: () => startedClusterer.stop() });
    services.push('clusterer — streaming assignment, HDBSCAN discovery, merge and retire, trend scores');

    await embedder.start();
    running.push({
      name: 'embedder',
      stop: async () => {
        await liveEmbedder.stop();
        await provider.close();
      },
    });
    services.push(`embedder — ${provider.model} (${provider.dim} dims), POST /embedder/embed, reembed jobs`);
    const embedderApi = createEmbedderApp(embedder, { logger: embedderLogger });

    const normalizer = createNormalizerService({
      db: await open('normalizer'),
      broker,
      logger: logger.child({ service: 'normalizer' }),
      metrics: createMetrics('normalizer', registry),
    });
    await normalizer.start();
    running.push({ name: 'normalizer', stop: () => normalizer.stop() });
    services.push('normalizer — cleans text, canonical URLs, language, exact and near-duplicate detection');

    const collectorLogger = logger.child({ service: 'collector' });
    collector = new CollectorService(
      {
        db: await open('collector'),
        publish: (messages) => broker.publish([...messages]),
        logger: collectorLogger,
        metrics: createCollectorMetrics(registry),
      },
      { allowlist: options.fetchAllowlist ?? [] },
    );
    const started = collector;

    // The gateway is the only public door; it fronts the collector in-process.
    gateway = createGatewayService(
      {
        query: query.api,
        collector: createCollectorApp(collector, { logger: collectorLogger }),
        broker,
        db: await open('gateway'),
        logger: logger.child({ service: 'gateway' }),
        embedderInfo: async () => ({
          model: liveEmbedder.model,
          dim: provider.dim,
          provider: 'local',
          cacheHitRatio: liveEmbedder.embedder.hitRatio(liveEmbedder.model) ?? null,
        }),
        registry,
        brokerMetrics: createMetrics('gateway', registry),
      },
      {
        webhookAllowlist: options.fetchAllowlist ?? [],
        // Webhook signing secrets are sealed under a key kept beside the data, not in the database.
        webhookSecretKey: await ensureLocalSecretKey(options.dataDir),
        ...(options.gateway ?? {}),
      },
    );
    await gateway.start();
    const startedGateway = gateway;
    running.push({ name: 'gateway', stop: () => startedGateway.stop() });
    apiKey = await gateway.ensureLocalApiKey(options.dataDir);
    services.push(
      'gateway — /api/v1 (API keys, rate limits), OpenAPI at /api/v1/openapi.json, /docs, SSE, webhooks',
    );

    await collector.start();
    running.push({ name: 'collector', stop: () => started.stop() });
    services.push(
      'collector — feeds, subreddits, Hacker News, ingest API and JSONL import (through the gateway)',
    );
    const publicApp = gateway.app;

    http = await startHealthServer({
      port: options.port,
      host: options.host,
      registry,
      checks: { broker: () => broker.isReady(), clusterer: () => startedClusterer.role === 'active' },
      fallback: (req, res) => {
        const path = (req.url ?? '/').split('?')[0]!;
        if (path.startsWith('/embedder/')) {
          req.url = req.url!.slice('/embedder'.length);
          embedderApi(req, res);
          return true;
        }
        if (path === '/status') {
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
            'x-content-type-options': 'nosniff',
          });
          res.end(
            renderStatusPage({ startedAt, services, transport: broker.transport, dataDir: options.dataDir }),
          );
          return true;
        }
        publicApp(req, res);
        return true;
      },
    });
    if (options.defaultSources !== false) {
      const added = await addDefaultSources(started, options.dataDir, collectorLogger);
      if (added) logger.info('default sources added; they fail calmly while offline', { added });
    }
    const samples = sampleFiles(options.sampleData);
    const importer = started;
    sampleImported = (async () => {
      const reports: SampleImport[] = [];
      for (const file of samples) {
        try {
          const shift = BUNDLED.includes(file) ? await sampleShiftMs(file, new Date()) : 0;
          if (importAbort.signal.aborted) break;
          const result = await importJsonl(
            importer,
            file,
            shift,
            options.onSampleProgress,
            importAbort.signal,
          );
          logger.info('sample data imported', { ...result });
          reports.push(result);
        } catch (err) {
          logger.warn('sample data could not be imported', { file, error: String(err) });
        }
      }
      return reports;
    })();
  } catch (err) {
    await stopAll();
    throw err;
  }
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${http.port}`,
    broker,
    logger,
    collector: collector!,
    embedder: embedder!,
    clusterer: clusterer!,
    gateway: gateway!,
    apiKey: apiKey!,
    sampleImported,
    stop: async () => {
      // A long first import stops at the next batch; the rest is imported on the next start.
      importAbort.abort();
      await sampleImported;
      await stopAll();
    },
  };
}

/**
 * How far to move the bundled sample's dates so its newest post is about an hour old: the demo
 * then shows live-looking trends whenever it is started. Whole hours keep the daily rhythm.
 */
async function sampleShiftMs(file: string, now: Date): Promise<number> {
  let newest = -Infinity;
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    const match = /"publishedAt"\s*:\s*"([^"]+)"/.exec(line);
    const at = match ? Date.parse(match[1]!) : NaN;
    if (Number.isFinite(at)) newest = Math.max(newest, at);
  }
  if (!Number.isFinite(newest)) return 0;
  const hour = 3_600_000;
  return Math.max(0, Math.floor((now.getTime() - hour - newest) / hour) * hour);
}

/**
 * Imports a JSONL file of posts straight into the collector, in batches; bad lines are counted.
 * `shiftMs` moves every publishedAt forward (the bundled demo sample only; real files keep theirs).
 */
async function importJsonl(
  collector: Collector,
  file: string,
  shiftMs = 0,
  onProgress?: (progress: SampleProgress) => void,
  signal?: AbortSignal,
): Promise<SampleImport> {
  const totalLines = countLines(file);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  const result: SampleImport = { file, accepted: 0, duplicates: 0, rejected: 0 };
  let linesRead = 0;
  const report = () => onProgress?.({ ...result, lines: linesRead, totalLines });
  let batch: Candidate[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const recorded = await collector.ingest('jsonl', 'sample', batch);
    result.accepted += recorded.accepted;
    result.duplicates += recorded.duplicates;
    result.rejected += recorded.rejected;
    batch = [];
    report();
  };
  for await (const line of lines) {
    if (signal?.aborted) break;
    linesRead++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      result.rejected++;
      continue;
    }
    const parsed = readIngestItem(value);
    if (!parsed.ok) {
      result.rejected++;
      continue;
    }
    const item = parsed.item;
    if (shiftMs && item.publishedAt)
      item.publishedAt = new Date(Date.parse(item.publishedAt) + shiftMs).toISOString();
    batch.push(toCandidate(item));
    if (batch.length >= SAMPLE_BATCH) await flush();
  }
  await flush();
  report();
  return result;
}

/** Small batches keep the progress bar moving and the pipeline fed evenly. */
const SAMPLE_BATCH = Math.min(200, MAX_BATCH_ITEMS);

function countLines(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim()).length;
}

/** Which files to import: none, the ones named, or the bundled samples that exist. */
function sampleFiles(setting: EmbeddedOptions['sampleData']): string[] {
  if (setting === false) return [];
  if (setting === undefined) return BUNDLED.filter((file) => existsSync(file));
  return (typeof setting === 'string' ? [setting] : [...setting]).filter((file) => existsSync(file));
}
