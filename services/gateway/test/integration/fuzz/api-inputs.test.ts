import { expect } from 'chai';
import fc from 'fast-check';
import { routesOf } from '../../../src/openapi/router-routes.js';
import { GatewayHarness } from '../harness.js';
import { knownKeys, pathSegment, queryString, requestBody } from './http-input.js';

// Every route of the public API, read from the route table the router is built from (plus the
// routers mounted beside it, read from their stacks), so a new route is fuzzed without being
// listed here. Whatever the path parameters, query string and body hold, the gateway answers
// below 500, every 4xx carries the one error shape, and it keeps serving.

interface FuzzTarget {
  method: string;
  path: string;
  query: string[];
  body: string[];
  takesBody: boolean;
}

const RUNS_PER_ROUTE = 12;

describe('gateway API fuzz: every route, body, query parameter and path parameter', function () {
  this.timeout(60_000);
  let h: GatewayHarness;
  const targets: FuzzTarget[] = [];

  before(async () => {
    h = await GatewayHarness.start({
      settings: {
        subscriptions: true,
        rateLimitPerMinute: 1_000_000,
        authFailuresPerMinute: 1_000_000,
      },
    });
    for (const spec of h.routeSpecs())
      targets.push({
        method: spec.method.toUpperCase(),
        path: spec.path,
        query: knownKeys(spec.query),
        body: knownKeys(spec.body),
        takesBody: spec.method !== 'get',
      });
    for (const router of h.extraRouters())
      for (const r of routesOf(router, 'extra'))
        targets.push({
          method: r.method.toUpperCase(),
          path: r.path,
          query: [],
          body: [],
          takesBody: r.method !== 'get',
        });
  });
  after(async () => {
    await h?.stop();
  });

  it('derives its targets from the route table (the core routes and the subscription routes)', () => {
    const names = targets.map((t) => `${t.method} ${t.path}`);
    expect(names).to.include.members(['GET /clusters/:id', 'POST /ingest', 'POST /subscriptions']);
    expect(targets.length).to.equal(
      h.routeSpecs().length + h.extraRouters().flatMap((r) => routesOf(r, 'extra')).length,
    );
  });

  it('regression: a NUL byte in a path parameter is a 400 invalid_url, not a failed database query (500)', async () => {
    for (const path of ['/sources/%00/pause', '/subscriptions/%00', '/clusters?cursor=a%00b']) {
      const res = await h.call(path.includes('pause') ? 'POST' : 'GET', `/api/v1${path}`);
      expect(res.status, path).to.equal(400);
      expect(res.body.error.code, path).to.equal('invalid_url');
    }
  });

  it('answers every fuzzed request below 500, with the error shape on each 4xx, and stays up', async function () {
    this.timeout(90_000);
    const failures: string[] = [];
    for (const target of targets) {
      const request = fc.record({
        path: fc
          .array(pathSegment, { minLength: 4, maxLength: 4 })
          .map((segments) => fillParams(target.path, segments)),
        query: queryString(target.query),
        body: target.takesBody ? requestBody(target.body) : fc.constant(undefined),
      });
      const outcome = await fc.check(
        fc.asyncProperty(request, async ({ path, query, body }) => {
          const url = `${h.baseUrl}/api/v1${path}${query}`;
          const res = await send(target.method, url, h.keys.admin, body);
          return res.problem === undefined;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      if (outcome.failed) {
        const [example] = outcome.counterexample ?? [];
        const res = await send(
          target.method,
          `${h.baseUrl}/api/v1${example?.path}${example?.query}`,
          h.keys.admin,
          example?.body,
        );
        failures.push(
          `${target.method} ${target.path}: ${res.problem ?? outcome.errorInstance} for ` +
            `${JSON.stringify(example).slice(0, 400)} (fast-check seed ${outcome.seed}, path ${outcome.counterexamplePath})`,
        );
      }
      const alive = await h.call('GET', '/api/v1/stats', { key: 'read' });
      expect(alive.status, `gateway still serves after fuzzing ${target.method} ${target.path}`).to.equal(
        200,
      );
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});

/** `/clusters/:id/items` with its parameters replaced by (already encoded) segments. */
function fillParams(path: string, segments: readonly string[]): string {
  let n = 0;
  return path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, () => segments[n++ % segments.length] || 'x');
}

/** Sends one request; `problem` says what is wrong with the answer, if anything. */
async function send(
  method: string,
  url: string,
  key: string,
  body: string | undefined,
): Promise<{ status: number; problem?: string }> {
  // An event stream never ends: it is checked by its headers, then the connection is dropped.
  const controller = new AbortController();
  const res = await fetch(url, {
    signal: controller.signal,
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    controller.abort();
    return { status: res.status };
  }
  const text = await res.text();
  if (res.status >= 500) return { status: res.status, problem: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  if (res.status < 400) return { status: res.status };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: res.status, problem: `HTTP ${res.status} without a JSON body: ${text.slice(0, 200)}` };
  }
  const error = (parsed as { error?: Record<string, unknown> }).error;
  const wellFormed =
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    error.code !== '' &&
    typeof error.message === 'string' &&
    Object.keys(parsed as object).length === 1 &&
    Object.keys(error).every((k) => ['code', 'message', 'details'].includes(k));
  return wellFormed
    ? { status: res.status }
    : {
        status: res.status,
        problem: `HTTP ${res.status} with a body outside the error shape: ${text.slice(0, 200)}`,
      };
}
