import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createNormalizerService } from '@trendmill/normalizer';
import {
  MemoryBroker,
  createLogger,
  createMetrics,
  openDatabase,
  processRegistry,
  startHealthServer,
  type Broker,
  type Database,
  type HealthServer,
  type LogLevel,
  type Logger,
} from '@trendmill/platform';
import { renderStatusPage } from './status-page.js';

export interface EmbeddedOptions {
  port: number;
  host: string;
  dataDir: string;
  logLevel?: LogLevel;
}

export interface Embedded {
  readonly url: string;
  readonly broker: Broker;
  readonly logger: Logger;
  stop(): Promise<void>;
}

interface Running {
  name: string;
  stop(): Promise<void>;
}

/**
 * The embedded default: every Trendmill service in one process over the in-memory broker, each in
 * its own schema of one PGlite database under the data directory. Services join here as they are
 * built; the status page on the public port lists those running.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const registry = processRegistry('trendmill');
  const logger = createLogger('trendmill', options.logLevel ?? 'info');
  const broker = new MemoryBroker('embedded');
  const startedAt = new Date();
  const services: string[] = [];
  const running: Running[] = [];
  const databases: Database[] = [];
  let http: HealthServer | undefined;
  const stopAll = async () => {
    await http?.close();
    for (const r of running.reverse()) await r.stop();
    await broker.close();
    for (const db of databases) await db.close();
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const pgliteUrl = `pglite://${join(options.dataDir, 'pglite')}`;
    const open = async (schema: string) => {
      const db = await openDatabase({ url: pgliteUrl, schema });
      databases.push(db);
      return db;
    };

    const normalizer = createNormalizerService({
      db: await open('normalizer'),
      broker,
      logger: logger.child({ service: 'normalizer' }),
      metrics: createMetrics('normalizer', registry),
    });
    await normalizer.start();
    running.push({ name: 'normalizer', stop: () => normalizer.stop() });
    services.push('normalizer — cleans text, canonical URLs, language, exact and near-duplicate detection');

    http = await startHealthServer({
      port: options.port,
      host: options.host,
      registry,
      checks: { broker: () => broker.isReady() },
      fallback: (req, res) => {
        if ((req.url ?? '/').split('?')[0] !== '/') return false;
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'x-content-type-options': 'nosniff',
        });
        res.end(
          renderStatusPage({ startedAt, services, transport: broker.transport, dataDir: options.dataDir }),
        );
        return true;
      },
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  const shownHost = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${http.port}`,
    broker,
    logger,
    stop: stopAll,
  };
}
