import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler, Router } from 'express';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { CollectorService, createCollectorApp, createCollectorMetrics } from '@trendmill/collector';
import { MemoryBroker, createLogger, type Broker, type OutgoingMessage } from '@trendmill/platform';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import type { QueryApi } from '@trendmill/query';
import type { Scope } from '../../src/auth/scopes.js';
import type { CollectorTarget } from '../../src/routes/collector-forwarder.js';
import type { RouteSpec } from '../../src/routes/route-spec.js';
import { createGatewayService, type GatewayService, type GatewayServiceSettings } from '../../src/service.js';
import { FakeQuery } from './fake-query.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface HarnessOptions {
  redis?: boolean;
  /** How the collector is reached: its app in this process (default) or over HTTP. */
  collector?: 'in-process' | 'http';
  settings?: GatewayServiceSettings;
  query?: QueryApi;
  /** Routers mounted at the root (the dashboard's). */
  rootRouters?: Router[];
  /** The in-memory bus to join (to share events with services started beside the gateway). */
  bus?: string;
}

export interface CallResult {
  status: number;
  // Checked field by field in the tests; a loose type keeps that readable.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/**
 * A gateway over a fresh PostgreSQL schema, an isolated in-memory bus, a real collector (its own
 * schema) and a QueryApi (fake unless given), served on a loopback port, with one key per scope.
 */
export class GatewayHarness {
  readonly broker: Broker;
  readonly keys = {} as Record<Scope, string>;
  readonly redisPrefix = `trendmill-test:${randomUUID()}`;
  readonly registry = new Registry();
  query!: QueryApi;
  service!: GatewayService;
  collector!: CollectorService;
  baseUrl = '';
  redis: Redis | undefined;
  private servers: Server[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly collectorDb: TestDatabase,
    readonly bus: string,
  ) {
    this.broker = new MemoryBroker(bus);
  }

  get fake(): FakeQuery {
    if (!(this.query instanceof FakeQuery)) throw new Error('this harness runs the real query service');
    return this.query;
  }

  static async start(options: HarnessOptions = {}): Promise<GatewayHarness> {
    const db = await createPostgresTestDatabase({ prefix: 'gwtest' });
    const collectorDb = await createPostgresTestDatabase({ prefix: 'gwcoll' });
    const h = new GatewayHarness(db, collectorDb, options.bus ?? `gateway-test-${randomUUID()}`);
    h.query = options.query ?? new FakeQuery();
    if (options.redis) h.redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const logger = createLogger('gateway-test', 'error');
    const publisher = new MemoryBroker(h.bus);
    h.collector = new CollectorService(
      {
        db: collectorDb,
        publish: async (messages: readonly OutgoingMessage[]) => publisher.publish([...messages]),
        logger,
        metrics: createCollectorMetrics(new Registry()),
      },
      { scheduler: false, relayPollIntervalMs: 50 },
    );
    await h.collector.start();
    const collectorApp = createCollectorApp(h.collector, { logger }) as unknown as RequestHandler;
    const collector: CollectorTarget =
      options.collector === 'http' ? { url: await h.listen(collectorApp) } : collectorApp;
    h.service = createGatewayService(
      {
        query: h.query,
        collector,
        broker: h.broker,
        db,
        logger,
        redis: h.redis,
        registry: h.registry,
        ...(options.rootRouters ? { rootRouters: options.rootRouters } : {}),
      },
      { cacheSettleMs: 0, redisKeyPrefix: h.redisPrefix, subscriptions: false, ...options.settings },
    );
    await h.service.start();
    for (const scope of ['read', 'write', 'admin'] as const)
      h.keys[scope] = (await h.service.keys.create({ name: `${scope} test key`, scopes: [scope] })).key;
    h.baseUrl = await h.listen(h.service.app as unknown as RequestHandler);
    return h;
  }

  private async listen(handler: RequestHandler): Promise<string> {
    const server = createServer((req, res) => handler(req as never, res as never, () => res.end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  routeSpecs(): readonly RouteSpec[] {
    return this.service.gatewayApp!.routeSpecs;
  }

  extraRouters(): readonly Router[] {
    return this.service.gatewayApp!.extraRouters;
  }

  /** A JSON request to the gateway, with `key` (a scope's key, or a literal key, or none). */
  async call(
    method: string,
    path: string,
    options: {
      key?: Scope | string | null;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<CallResult> {
    const key = options.key === undefined ? this.keys.admin : options.key === null ? undefined : options.key;
    const plaintext = key && key in this.keys ? this.keys[key as Scope] : key;
    const headers: Record<string, string> = { ...options.headers };
    if (plaintext) headers.authorization = `Bearer ${plaintext}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (the docs page)
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async stop(): Promise<void> {
    for (const s of this.servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await this.service?.stop();
    await this.collector?.stop();
    await this.broker.close();
    if (this.redis) {
      const keys = await this.redis.keys(`${this.redisPrefix}*`);
      if (keys.length) await this.redis.del(...keys);
      this.redis.disconnect();
    }
    await this.db.cleanup();
    await this.collectorDb.cleanup();
  }
}
