import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { runWithContext } from './context.js';
import { redact } from './redact.js';

/** A readiness check: true (or resolving true) when the dependency it guards is usable. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface HealthServerOptions {
  /** 0 binds an ephemeral port; the bound one is reported back. */
  port: number;
  host?: string;
  checks?: Record<string, ReadinessCheck>;
  /** Served at /metrics; without one /metrics is 404. */
  registry?: Registry;
  /** A check that has not answered by then counts as failing (a hung dependency is not ready). */
  checkTimeoutMs?: number;
  /** Extra fields for the /readyz body, e.g. `{ role: 'standby' }` of a replica waiting for a lock. */
  readyDetails?: () => Record<string, unknown>;
  /** Serves any other path (e.g. the embedded launcher's status page); returns false for 404. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface HealthServer {
  readonly port: number;
  /** Registers (or replaces) a readiness check after start, e.g. once a consumer is subscribed. */
  addCheck(name: string, check: ReadinessCheck): void;
  close(): Promise<void>;
}

interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

/** /healthz (alive), /readyz (every check passes) and /metrics on a small node:http server. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const checks = new Map(Object.entries(options.checks ?? {}));
  const timeoutMs = options.checkTimeoutMs ?? 2_000;

  const server = createServer((req, res) => {
    // Someone waits for the answer: the request's work goes first where work queues (PGlite).
    runWithContext({ interactive: true }, () => route(req, res)).catch((err: unknown) =>
      send(res, 500, 'text/plain', String(err)),
    );
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (options.fallback && (await options.fallback(req, res))) return;
      return send(res, 405, 'text/plain', 'method not allowed');
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'alive' });
    if (path === '/readyz') {
      const results = await Promise.all([...checks].map(([name, check]) => runCheck(name, check, timeoutMs)));
      const failing = results.filter((r) => !r.ok);
      const details = options.readyDetails?.() ?? {};
      return failing.length === 0
        ? sendJson(res, 200, { ...details, status: 'ready', checks: results.map((r) => r.name) })
        : sendJson(res, 503, {
            ...details,
            status: 'unready',
            failing: failing.map(({ name, error }) => ({ name, error })),
          });
    }
    if (path === '/metrics' && options.registry) {
      return send(res, 200, options.registry.contentType, await options.registry.metrics());
    }
    if (options.fallback && (await options.fallback(req, res))) return;
    return send(res, 404, 'text/plain', 'not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    addCheck: (name, check) => void checks.set(name, check),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Probes and scrapes hold keep-alive connections that would delay close for seconds.
        server.closeIdleConnections();
      }),
  };
}

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const ok = await Promise.race([Promise.resolve().then(check), timeout]);
    return ok ? { name, ok: true } : { name, ok: false, error: 'check returned false' };
  } catch (err) {
    return { name, ok: false, error: redact(err instanceof Error ? err.message : String(err)) };
  } finally {
    clearTimeout(timer);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
