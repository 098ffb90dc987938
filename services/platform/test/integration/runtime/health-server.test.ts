import { expect } from 'chai';
import { Registry } from 'prom-client';
import { createMetrics } from '../../../src/runtime/metrics.js';
import { startHealthServer, type HealthServer } from '../../../src/runtime/health-server.js';

describe('health server over HTTP', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`http://127.0.0.1:${server!.port}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  it('binds an ephemeral port and reports it', async () => {
    server = await startHealthServer({ port: 0, host: '127.0.0.1' });
    expect(server.port).to.be.a('number').greaterThan(0);
    expect(await get('/healthz')).to.deep.equal({
      status: 200,
      type: 'application/json',
      body: '{"status":"alive"}',
    });
  });

  it('is ready only while every check passes, and lists the failing ones', async () => {
    let brokerUp = true;
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      checks: { broker: () => brokerUp, database: async () => true },
    });
    const ready = await get('/readyz');
    expect(ready.status).to.equal(200);
    expect(JSON.parse(ready.body)).to.deep.equal({ status: 'ready', checks: ['broker', 'database'] });

    brokerUp = false;
    server.addCheck('redis', async () => {
      throw new Error('connect ECONNREFUSED redis://:secret@127.0.0.1:6390');
    });
    const unready = await get('/readyz');
    expect(unready.status).to.equal(503);
    expect(JSON.parse(unready.body)).to.deep.equal({
      status: 'unready',
      failing: [
        { name: 'broker', error: 'check returned false' },
        { name: 'redis', error: 'connect ECONNREFUSED redis://:***@127.0.0.1:6390' },
      ],
    });
    // Liveness does not depend on dependencies: a restart would not fix the broker.
    expect((await get('/healthz')).status).to.equal(200);
  });

  it('fails a check that hangs instead of hanging the probe', async () => {
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      checkTimeoutMs: 50,
      checks: { qdrant: () => new Promise<boolean>(() => undefined) },
    });
    const res = await get('/readyz');
    expect(res.status).to.equal(503);
    expect(JSON.parse(res.body).failing).to.deep.equal([{ name: 'qdrant', error: 'no answer within 50 ms' }]);
  });

  it('serves the registry in the Prometheus text format at /metrics', async () => {
    const registry = new Registry();
    createMetrics('embedder', registry).consumed('embedder', 'trendmill.item.normalized.v1', 'ack');
    server = await startHealthServer({ port: 0, host: '127.0.0.1', registry });
    const res = await get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.type).to.equal(registry.contentType);
    expect(res.body).to.include('# TYPE trendmill_messages_consumed_total counter');
    expect(res.body).to.include(
      'trendmill_messages_consumed_total{service="embedder",group="embedder",type="trendmill.item.normalized.v1",outcome="ack"} 1',
    );
  });

  it('answers 404 to unknown paths and 405 to writes', async () => {
    server = await startHealthServer({ port: 0, host: '127.0.0.1' });
    expect((await get('/metrics')).status).to.equal(404);
    expect((await get('/admin')).status).to.equal(404);
    expect((await get('/healthz', { method: 'POST' })).status).to.equal(405);
  });

  it('hands other paths to the fallback, and still 404s what the fallback declines', async () => {
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      fallback: (req, res) => {
        if (req.url !== '/') return false;
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>status</h1>');
        return true;
      },
    });
    const page = await get('/');
    expect(page.status).to.equal(200);
    expect(page.body).to.equal('<h1>status</h1>');
    expect((await get('/elsewhere')).status).to.equal(404);
    expect((await get('/healthz')).body).to.contain('alive');
  });

  it('closes promptly although probes keep connections alive', async () => {
    server = await startHealthServer({ port: 0, host: '127.0.0.1' });
    const { port } = server;
    await get('/healthz');
    await server.close();
    server = undefined;
    const err = await fetch(`http://127.0.0.1:${port}/healthz`).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
  });
});
