import { expect } from 'chai';
import type { ServerResponse } from 'node:http';
import { createSafeFetcher, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';
import { startUnacceptingListener } from './unaccepting-listener.js';

describe('safe fetcher: timeouts', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher | undefined;
  const pending: ServerResponse[] = [];

  before(async () => {
    server = await startServer((req, res) => {
      pending.push(res);
      if (req.url === '/silent') return; // accepts, reads the request, never answers
      if (req.url === '/stalls-mid-body') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('x'.repeat(100));
        return;
      }
      if (req.url === '/trickle') {
        res.writeHead(200);
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('.')), 10);
        return;
      }
      res.end('ok');
    });
  });
  afterEach(async () => {
    await fetcher?.close();
    fetcher = undefined;
    for (const res of pending.splice(0)) res.destroy();
  });
  after(() => server.close());

  it('times out a server that accepts but never sends headers (read timeout)', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], readTimeoutMs: 50 });
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/silent`), 'timeout');
    expect(error.message).to.equal(`no response headers from ${server.origin}/silent within 50 ms`);
  });

  it('times out a body that stops arriving (body idle timeout)', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], readTimeoutMs: 50 });
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/stalls-mid-body`), 'timeout');
    expect(error.message).to.equal(
      `the response body from ${server.origin}/stalls-mid-body stalled for 50 ms`,
    );
  });

  it('bounds the whole fetch, so a server trickling bytes cannot hold it forever', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], readTimeoutMs: 5000, totalTimeoutMs: 100 });
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/trickle`), 'timeout');
    expect(error.message).to.equal(`fetching ${server.origin}/trickle took longer than 100 ms`);
  });

  it('times out a TCP handshake that never completes (connect timeout, full accept queue)', async function () {
    const listener = await startUnacceptingListener();
    try {
      if (!(await listener.fillBacklog())) this.skip(); // the kernel here never leaves a SYN unanswered
      fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], connectTimeoutMs: 100, readTimeoutMs: 5000 });
      const error = await expectFetchError(fetcher.fetchUrl(`http://127.0.0.1:${listener.port}/`), 'timeout');
      expect(error.message).to.equal(
        `connecting to http://127.0.0.1:${listener.port}/ timed out after 100 ms`,
      );
    } finally {
      await listener.close();
    }
  });

  it('times out name resolution that never answers (connect timeout)', async () => {
    fetcher = createSafeFetcher({ connectTimeoutMs: 50, lookup: () => new Promise(() => {}) });
    const error = await expectFetchError(fetcher.fetchUrl('http://hangs.example/'), 'timeout');
    expect(error.message).to.equal('resolving hangs.example took longer than 50 ms');
  });

  it("reports the caller's own abort as aborted, not as a timeout", async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], readTimeoutMs: 5000 });
    const controller = new AbortController();
    const fetching = fetcher.fetchUrl(`${server.origin}/silent`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expectFetchError(fetching, 'aborted');
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startServer(() => {});
    const { port } = closed;
    await closed.close();
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    const error = await expectFetchError(fetcher.fetchUrl(`http://127.0.0.1:${port}/`), 'network');
    expect(error.message).to.equal(`request to http://127.0.0.1:${port}/ failed: ECONNREFUSED`);
  });
});
