import { expect } from 'chai';
import { createSafeFetcher, type LookupFunction, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';

describe('safe fetcher: SSRF guard', () => {
  let server: LocalServer;
  const fetchers: SafeFetcher[] = [];
  const fetcher = (...args: Parameters<typeof createSafeFetcher>) => {
    const created = createSafeFetcher(...args);
    fetchers.push(created);
    return created;
  };

  before(async () => {
    server = await startServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`hello from ${req.url}`);
    });
  });
  afterEach(async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.close()));
  });
  after(() => server.close());

  // Every form below reaches the loopback server if the guard lets it through: a refusal must
  // come before any connection.
  const loopbackForms = [
    '127.0.0.1',
    '127.1',
    'localhost',
    'LOCALHOST',
    '[::1]',
    '0.0.0.0',
    '0',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '2130706433',
    '0x7f.1',
    '0x7f000001',
    '017700000001',
    '0177.0.0.1',
  ];
  for (const host of loopbackForms) {
    it(`refuses http://${host}:<port>/ with the allowlist off`, async () => {
      const error = await expectFetchError(
        fetcher().fetchUrl(`http://${host}:${server.port}/`),
        'ssrf_blocked',
      );
      expect(error.message).to.match(/^refused to connect to .*: (loopback|unspecified) address$/);
      expect(server.connections).to.deep.equal([]);
    });
  }

  it('verifies that WHATWG URL parsing turns legacy IPv4 literals into dotted form before the check', () => {
    for (const host of ['2130706433', '0x7f.1', '017700000001', '0177.0.0.1', '127.1']) {
      expect(new URL(`http://${host}/`).hostname, host).to.equal('127.0.0.1');
    }
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).to.equal('[::ffff:7f00:1]');
  });

  it('refuses a host name that the system resolver maps to loopback (/etc/hosts: localhost)', async () => {
    const error = await expectFetchError(
      fetcher().fetchUrl(`http://localhost:${server.port}/`),
      'ssrf_blocked',
    );
    expect(error.message).to.equal('refused to connect to localhost (127.0.0.1): loopback address');
  });

  // These must never be contacted from a test. The guard refuses them before any socket exists;
  // the already-aborted signal is a tripwire: were the guard ever to let one through, the request
  // would end as `aborted` before connecting instead of sending a packet.
  const tripwire = () => AbortSignal.abort();
  const privateTargets = [
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['[fe80::1]', 'link-local'],
    ['[fd00:ec2::254]', 'private'],
    ['[ff02::1]', 'multicast'],
    ['[::]', 'unspecified'],
    ['[64:ff9b::10.0.0.1]', 'private'],
    ['[::ffff:169.254.169.254]', 'link-local'],
  ];
  for (const [host, range] of privateTargets) {
    it(`refuses http://${host}/ as ${range}`, async () => {
      const error = await expectFetchError(
        fetcher().fetchUrl(`http://${host}/latest/meta-data/`, { signal: tripwire() }),
        'ssrf_blocked',
      );
      expect(error.message).to.contain(`${range} address`);
      expect(error.url).to.equal(new URL(`http://${host}/latest/meta-data/`).href);
    });
  }

  it('refuses a name that resolves to a private address, and one with any private address among public ones', async () => {
    const lookup: LookupFunction = async (hostname) =>
      hostname === 'intranet.example'
        ? [{ address: '10.1.2.3', family: 4 }]
        : [
            { address: '2606:4700:4700::1111', family: 6 },
            { address: '192.168.0.7', family: 4 },
          ];
    const guarded = fetcher({ lookup, connectTimeoutMs: 200 });
    const intranet = await expectFetchError(guarded.fetchUrl('http://intranet.example/'), 'ssrf_blocked');
    expect(intranet.message).to.equal('refused to connect to intranet.example (10.1.2.3): private address');
    const mixed = await expectFetchError(guarded.fetchUrl('http://mixed.example/'), 'ssrf_blocked');
    expect(mixed.message).to.equal('refused to connect to mixed.example (192.168.0.7): private address');
  });

  it('reaches loopback when a CIDR on the allowlist permits it', async () => {
    const response = await fetcher({ allowlist: ['127.0.0.0/8'] }).fetchUrl(
      `http://127.0.0.1:${server.port}/ok`,
    );
    expect(response.status).to.equal(200);
    expect(response.body.toString()).to.equal('hello from /ok');
  });

  it('reaches a host name on the allowlist whatever it resolves to, and no other name for the same address', async () => {
    const allowed = fetcher({ allowlist: ['localhost'] });
    expect((await allowed.fetchUrl(`http://localhost:${server.port}/named`)).body.toString()).to.equal(
      'hello from /named',
    );
    await expectFetchError(allowed.fetchUrl(`http://127.0.0.1:${server.port}/`), 'ssrf_blocked');
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/',
      'gopher://127.0.0.1:70/',
      'data:text/plain,hi',
    ]) {
      await expectFetchError(fetcher().fetchUrl(url), 'bad_url');
    }
    await expectFetchError(fetcher().fetchUrl('http://exa mple.com/'), 'bad_url');
  });

  it('never puts user info or credential query values into error messages', async () => {
    const error = await expectFetchError(
      fetcher().fetchUrl(`http://alice:s3cret@127.0.0.1:${server.port}/feed?token=t0ken&page=2`),
      'ssrf_blocked',
    );
    for (const text of [error.message, error.url ?? '', String(error.stack)]) {
      expect(text).not.to.contain('s3cret');
      expect(text).not.to.contain('alice');
      expect(text).not.to.contain('t0ken');
    }
    expect(error.url).to.equal(`http://127.0.0.1:${server.port}/feed?token=***&page=2`);
  });
});
