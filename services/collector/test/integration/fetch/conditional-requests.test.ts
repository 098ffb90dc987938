import { expect } from 'chai';
import { createSafeFetcher, DEFAULT_USER_AGENT, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';

const ETAG = '"v42"';
const LAST_MODIFIED = 'Wed, 01 May 2024 10:00:00 GMT';

describe('safe fetcher: conditional requests and statuses', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher;

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/feed') {
        const fresh =
          req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === LAST_MODIFIED;
        if (fresh) return res.writeHead(304, { etag: ETAG, 'last-modified': LAST_MODIFIED }).end();
        res.writeHead(200, {
          etag: ETAG,
          'last-modified': LAST_MODIFIED,
          'content-type': 'application/rss+xml; charset=utf-8',
        });
        return res.end('<rss version="2.0"/>');
      }
      if (req.url === '/bare-304') return res.writeHead(304).end();
      if (req.url === '/missing')
        return res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed');
      if (req.url === '/busy') return res.writeHead(503, { 'retry-after': '120' }).end('x'.repeat(200_000));
      if (req.url === '/empty') return res.writeHead(204).end();
      res.end(JSON.stringify(req.headers));
    });
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
  });
  after(async () => {
    await fetcher.close();
    await server.close();
  });

  it('identifies itself and asks for compressed bodies; caller headers are added', async () => {
    const response = await fetcher.fetchUrl(`${server.origin}/headers`, {
      headers: { Accept: 'application/json' },
    });
    const sent = JSON.parse(response.body.toString());
    expect(sent['user-agent']).to.equal(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).to.equal('Trendmill/0.1 (+https://github.com/trendmill/trendmill)');
    expect(sent['accept-encoding']).to.equal('gzip, br');
    expect(sent.accept).to.equal('application/json');
  });

  it('refuses caller headers that the fetcher owns', async () => {
    for (const name of ['Host', 'Accept-Encoding', 'Transfer-Encoding']) {
      let thrown: unknown;
      await fetcher
        .fetchUrl(`${server.origin}/headers`, { headers: { [name]: 'x' } })
        .catch((e) => (thrown = e));
      expect(thrown, name).to.be.instanceOf(TypeError);
    }
  });

  it('returns the validators and the content type of a 200', async () => {
    const response = await fetcher.fetchUrl(`${server.origin}/feed`);
    expect(response).to.deep.include({
      status: 200,
      url: `${server.origin}/feed`,
      notModified: false,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
      contentType: 'application/rss+xml; charset=utf-8',
    });
    expect(response.body.toString()).to.equal('<rss version="2.0"/>');
    expect(response.headers.etag).to.equal(ETAG);
  });

  it('sends If-None-Match and reports a 304 as not modified, with an empty body', async () => {
    server.requests.length = 0;
    const response = await fetcher.fetchUrl(`${server.origin}/feed`, { etag: ETAG });
    expect(server.requests[0]?.headers['if-none-match']).to.equal(ETAG);
    expect(response).to.deep.include({
      status: 304,
      notModified: true,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
    });
    expect(response.body.length).to.equal(0);
  });

  it('sends If-Modified-Since and reports a 304 as not modified', async () => {
    server.requests.length = 0;
    const response = await fetcher.fetchUrl(`${server.origin}/feed`, { lastModified: LAST_MODIFIED });
    expect(server.requests[0]?.headers['if-modified-since']).to.equal(LAST_MODIFIED);
    expect(response.notModified).to.equal(true);
  });

  it('keeps the validators it sent when a 304 carries none', async () => {
    const response = await fetcher.fetchUrl(`${server.origin}/bare-304`, {
      etag: '"a"',
      lastModified: LAST_MODIFIED,
    });
    expect(response).to.deep.include({
      status: 304,
      notModified: true,
      etag: '"a"',
      lastModified: LAST_MODIFIED,
    });
  });

  it('treats 2xx without a body as success', async () => {
    const response = await fetcher.fetchUrl(`${server.origin}/empty`);
    expect(response.status).to.equal(204);
    expect(response.body.length).to.equal(0);
  });

  it('throws http_error with status, headers and the start of the body for 4xx and 5xx', async () => {
    const missing = await expectFetchError(fetcher.fetchUrl(`${server.origin}/missing`), 'http_error');
    expect(missing.message).to.equal(`HTTP 404 from ${server.origin}/missing`);
    expect(missing.status).to.equal(404);
    expect(missing.body?.toString()).to.equal('no such feed');

    const busy = await expectFetchError(fetcher.fetchUrl(`${server.origin}/busy`), 'http_error');
    expect(busy.status).to.equal(503);
    expect(busy.headers?.['retry-after']).to.equal('120');
    expect(busy.body?.length).to.equal(64 * 1024);
  });
});
