import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSafeFetcher, type LookupFunction, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';

/**
 * A resolver under attack: its first answer passes the guard, every later one points at the
 * target. 127.0.0.2 stands in for a public address (it is allowlisted, so it passes the check) and
 * 127.0.0.1 for the forbidden one; both are loopback, so nothing leaves the machine.
 */
function rebindingLookup(first: string, later: string) {
  const calls: string[] = [];
  const lookup: LookupFunction = async (hostname) => {
    calls.push(hostname);
    return [{ address: calls.length === 1 ? first : later, family: 4 }];
  };
  return { lookup, calls };
}

describe('safe fetcher: DNS rebinding', () => {
  let checked: LocalServer;
  let trap: LocalServer;
  let fetcher: SafeFetcher | undefined;

  before(async () => {
    checked = await startServer((req, res) => res.end(`checked server, host header ${req.headers.host}`), {
      host: '127.0.0.2',
    });
    // Same port on the forbidden address: a second resolution would land here.
    trap = await startServer((_req, res) => res.end('trap'), { host: '127.0.0.1', port: checked.port });
  });
  afterEach(async () => {
    await fetcher?.close();
    fetcher = undefined;
    checked.connections.length = 0;
    trap.connections.length = 0;
  });
  after(async () => {
    await checked.close();
    await trap.close();
  });

  it('resolves once and connects to the address it checked, never to a later answer', async () => {
    const { lookup, calls } = rebindingLookup('127.0.0.2', '127.0.0.1');
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.2'], lookup });
    const response = await fetcher.fetchUrl(`http://rebind.test:${checked.port}/`);
    expect(response.body.toString()).to.equal(`checked server, host header rebind.test:${checked.port}`);
    expect(calls).to.deep.equal(['rebind.test']);
    expect(checked.connections).to.deep.equal(['127.0.0.2']);
    expect(trap.connections).to.deep.equal([]);
  });

  it('does not resolve again for later requests on the checked connection', async () => {
    const { lookup, calls } = rebindingLookup('127.0.0.2', '127.0.0.1');
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.2'], lookup });
    for (let i = 0; i < 3; i++) await fetcher.fetchUrl(`http://rebind.test:${checked.port}/${i}`);
    expect(calls).to.have.length(1);
    expect(trap.connections).to.deep.equal([]);
  });

  it('refuses when the one resolution answers with the forbidden address, and does not ask again', async () => {
    const { lookup, calls } = rebindingLookup('127.0.0.1', '127.0.0.2');
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.2'], lookup });
    const error = await expectFetchError(
      fetcher.fetchUrl(`http://rebind.test:${trap.port}/`),
      'ssrf_blocked',
    );
    expect(error.message).to.equal('refused to connect to rebind.test (127.0.0.1): loopback address');
    expect(calls).to.have.length(1);
    expect(trap.connections).to.deep.equal([]);
    expect(checked.connections).to.deep.equal([]);
  });

  it('falls back to the next checked address when the first is unreachable', async () => {
    const calls: string[] = [];
    const lookup: LookupFunction = async (hostname) => {
      calls.push(hostname);
      return [
        { address: '127.0.0.3', family: 4 }, // nothing listens there
        { address: '127.0.0.2', family: 4 },
      ];
    };
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.2', '127.0.0.3'], lookup });
    await fetcher.fetchUrl(`http://rebind.test:${checked.port}/`);
    expect(calls).to.have.length(1);
    expect(checked.connections).to.deep.equal(['127.0.0.2']);
    expect(trap.connections).to.deep.equal([]);
  });

  it('over TLS, connects to the checked address while SNI and certificate checks use the host name', async () => {
    const cert = readFileSync(new URL('./tls/cert.pem', import.meta.url), 'utf8');
    const key = readFileSync(new URL('./tls/key.pem', import.meta.url), 'utf8');
    const serverNames: Array<string | false | null> = [];
    const tlsServer = createHttpsServer({ cert, key }, (req, res) => res.end(`tls ok ${req.headers.host}`));
    tlsServer.on('secureConnection', (socket) => serverNames.push(socket.servername));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.2', resolve));
    const { port } = tlsServer.address() as AddressInfo;
    try {
      const { lookup, calls } = rebindingLookup('127.0.0.2', '127.0.0.1');
      fetcher = createSafeFetcher({ allowlist: ['127.0.0.2'], lookup, ca: cert });
      const response = await fetcher.fetchUrl(`https://rebind.test:${port}/`);
      expect(response.body.toString()).to.equal(`tls ok rebind.test:${port}`);
      expect(serverNames).to.deep.equal(['rebind.test']);
      expect(calls).to.have.length(1);

      // The certificate names rebind.test only: reaching the same address by another name fails verification.
      const other = createSafeFetcher({
        allowlist: ['127.0.0.2'],
        ca: cert,
        lookup: async () => [{ address: '127.0.0.2', family: 4 }],
      });
      try {
        const error = await expectFetchError(other.fetchUrl(`https://other.test:${port}/`), 'network');
        expect(error.message).to.contain('ERR_TLS_CERT_ALTNAME_INVALID');
      } finally {
        await other.close();
      }
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    }
  });
});
