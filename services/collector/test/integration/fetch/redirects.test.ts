import { expect } from 'chai';
import { createSafeFetcher, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';

describe('safe fetcher: redirects', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher;

  before(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const hop = url.pathname.match(/^\/hop\/(\d+)$/);
      if (hop) {
        const left = Number(hop[1]);
        const status = [301, 302, 303, 307, 308][left % 5]!;
        res.writeHead(status, { location: left > 0 ? `/hop/${left - 1}` : '/final' }).end('moved');
      } else if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (url.pathname === '/to') {
        res.writeHead(302, { location: url.searchParams.get('location') ?? '/' }).end();
      } else {
        res.end(JSON.stringify({ path: url.pathname, authorization: req.headers.authorization ?? null }));
      }
    });
  });
  afterEach(() => fetcher.close());
  after(() => server.close());

  it('follows 301, 302, 303, 307 and 308 up to the limit and reports the final URL', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    server.requests.length = 0;
    const response = await fetcher.fetchUrl(`${server.origin}/hop/4`);
    expect(response.status).to.equal(200);
    expect(response.url).to.equal(`${server.origin}/final`);
    expect(JSON.parse(response.body.toString()).path).to.equal('/final');
    expect(server.requests.map((req) => req.url)).to.deep.equal([
      '/hop/4',
      '/hop/3',
      '/hop/2',
      '/hop/1',
      '/hop/0',
      '/final',
    ]);
  });

  it('stops after maxRedirects (default 5) with too_many_redirects', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    server.requests.length = 0;
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/loop`), 'too_many_redirects');
    expect(error.message).to.contain('more than 5 redirects');
    expect(server.requests).to.have.length(6);
    await expectFetchError(fetcher.fetchUrl(`${server.origin}/hop/5`), 'too_many_redirects');
  });

  it('honours a configured limit, including 0', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'], maxRedirects: 0 });
    await expectFetchError(fetcher.fetchUrl(`${server.origin}/hop/0`), 'too_many_redirects');
  });

  it('refuses a redirect to a non-allowlisted loopback address after an allowlisted first hop', async () => {
    fetcher = createSafeFetcher({ allowlist: ['localhost'] });
    server.requests.length = 0;
    for (const target of [
      `http://127.0.0.1:${server.port}/secret`,
      `http://[::ffff:127.0.0.1]:${server.port}/secret`,
      `http://2130706433:${server.port}/secret`,
      `http://[::1]:${server.port}/secret`,
    ]) {
      const start = `http://localhost:${server.port}/to?location=${encodeURIComponent(target)}`;
      const error = await expectFetchError(fetcher.fetchUrl(start), 'ssrf_blocked');
      expect(error.message).to.match(/loopback address$/);
    }
    expect(server.requests.map((req) => new URL(req.url!, 'http://x').pathname)).to.deep.equal([
      '/to',
      '/to',
      '/to',
      '/to',
    ]);
  });

  it('refuses a redirect to the metadata address before connecting', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    const target = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
    const error = await expectFetchError(
      fetcher.fetchUrl(`${server.origin}/to?location=${encodeURIComponent(target)}`),
      'ssrf_blocked',
    );
    expect(error.message).to.equal('refused to connect to 169.254.169.254: link-local address');
  });

  it('refuses a redirect to another scheme', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    for (const target of ['file:///etc/passwd', 'gopher://127.0.0.1:25/']) {
      await expectFetchError(
        fetcher.fetchUrl(`${server.origin}/to?location=${encodeURIComponent(target)}`),
        'bad_url',
      );
    }
  });

  it('sends user info as Basic credentials to its own origin only, never across a redirect', async () => {
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1', 'localhost'] });
    const sameOrigin = await fetcher.fetchUrl(`http://bob:pw@127.0.0.1:${server.port}/hop/0`);
    expect(JSON.parse(sameOrigin.body.toString()).authorization).to.equal(
      `Basic ${Buffer.from('bob:pw').toString('base64')}`,
    );
    expect(sameOrigin.url).to.equal(`${server.origin}/final`);

    const elsewhere = `http://localhost:${server.port}/final`;
    const crossOrigin = await fetcher.fetchUrl(
      `http://bob:pw@127.0.0.1:${server.port}/to?location=${encodeURIComponent(elsewhere)}`,
      { headers: { Authorization: 'Bearer caller-token' } },
    );
    expect(crossOrigin.url).to.equal(elsewhere);
    expect(JSON.parse(crossOrigin.body.toString()).authorization).to.equal(null);
  });
});
