import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  MemoryBroker,
  createLogger,
  type Broker,
  type Database,
  type OutgoingMessage,
  type ReceivedMessage,
} from '@trendmill/platform';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import { createCollectorApp } from '../../../src/http/app.js';
import { CollectorService, type CollectorSettings } from '../../../src/service/collector-service.js';
import { createCollectorMetrics } from '../../../src/service/metrics.js';

export interface RecordedEvent {
  id: string;
  type: string;
  subject: string | undefined;
  data: Record<string, unknown>;
}

/**
 * Collectors over one real database and an isolated in-memory bus, with a recorder of what they
 * emit, a settable clock, and the HTTP API on a loopback port.
 */
export class CollectorHarness {
  readonly bus = `collector-test-${randomUUID()}`;
  readonly broker: Broker = new MemoryBroker(this.bus);
  readonly emitted: RecordedEvent[] = [];
  readonly services: CollectorService[] = [];
  private servers: Server[] = [];
  /** The clock every service started here reads; tests move it. */
  now = new Date('2026-06-01T12:00:00.000Z');
  /** When set, publishing from the outbox fails with this error (a broker outage). */
  publishFailure: Error | undefined;

  constructor(readonly db: Database) {}

  async recordOutputs(): Promise<void> {
    await this.broker.subscribe(
      { group: 'recorder', types: [EVENT_TYPES.itemCollected, EVENT_TYPES.sourceFailed] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        this.emitted.push({
          id: parsed.event.id,
          type: parsed.event.type,
          subject: parsed.event.subject,
          data: parsed.event.data as Record<string, unknown>,
        });
      },
    );
  }

  async startService(settings: CollectorSettings = {}, db: Database = this.db): Promise<CollectorService> {
    const publisher = new MemoryBroker(this.bus);
    const service = new CollectorService(
      {
        db,
        publish: async (messages: readonly OutgoingMessage[]) => {
          if (this.publishFailure) throw this.publishFailure;
          await publisher.publish([...messages]);
        },
        logger: createLogger('collector-test', 'error'),
        metrics: createCollectorMetrics(new Registry()),
        clock: () => new Date(this.now),
        random: () => 0.5,
      },
      { allowlist: ['127.0.0.0/8', 'localhost'], scheduler: false, relayPollIntervalMs: 50, ...settings },
    );
    await service.start();
    this.services.push(service);
    return service;
  }

  /** The service's HTTP API on a loopback port; resolves to its base URL (…/api/v1). */
  async serve(service: CollectorService, apiKeys?: string[], maxBodyBytes?: number): Promise<string> {
    const app = createCollectorApp(service, {
      logger: createLogger('collector-test', 'error'),
      ...(apiKeys ? { apiKeys } : {}),
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  }

  async stop(): Promise<void> {
    for (const s of this.servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    for (const s of this.services.splice(0)) await s.stop();
    await this.broker.close();
  }

  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  collected(): RecordedEvent[] {
    return this.emitted.filter((e) => e.type === EVENT_TYPES.itemCollected);
  }

  failures(): RecordedEvent[] {
    return this.emitted.filter((e) => e.type === EVENT_TYPES.sourceFailed);
  }
}

/** JSON request helper: method, URL, body → status, parsed body and response headers. */
export async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // Responses are checked field by field in the tests; a loose type keeps that readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}
