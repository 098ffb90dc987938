import { expect } from 'chai';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { createSafeFetcher, DEFAULT_MAX_BYTES, type SafeFetcher } from '../../../src/fetch/index.js';
import { expectFetchError } from './expect-fetch-error.js';
import { startServer, type LocalServer } from './local-server.js';

const MB = 1024 * 1024;

/** Writes `total` bytes in 64 KiB chunks, respecting backpressure, until done or the client hangs up. */
async function stream(
  res: ServerResponse,
  total: number,
  chunk = Buffer.alloc(64 * 1024, 0x61),
): Promise<boolean> {
  const closed = once(res, 'close').then(() => false);
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (res.destroyed) return false;
    if (!res.write(chunk) && !(await Promise.race([once(res, 'drain').then(() => true), closed])))
      return false;
  }
  res.end();
  return true;
}

describe('safe fetcher: size cap', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher;
  // 100 MiB of zeros as 100 concatenated gzip members of 1 MiB each: about 100 KiB on the wire.
  const gzipBomb = Buffer.concat(new Array<Buffer>(100).fill(gzipSync(Buffer.alloc(MB), { level: 9 })));
  const brotliBomb = brotliCompressSync(Buffer.alloc(64 * MB), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5 },
  });

  before(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/ten-megabytes') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        void stream(res, 10 * MB);
      } else if (req.url === '/declared-ten-megabytes') {
        res.writeHead(200, { 'content-length': String(10 * MB) });
        void stream(res, 10 * MB);
      } else if (req.url === '/gzip-bomb') {
        res
          .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' })
          .end(gzipBomb);
      } else if (req.url === '/brotli-bomb') {
        res.writeHead(200, { 'content-encoding': 'br' }).end(brotliBomb);
      } else if (req.url === '/gzip-small') {
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('<rss/>'.repeat(1000)));
      } else {
        res.writeHead(200, { 'content-length': String(MB) });
        void stream(res, MB);
      }
    });
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
  });
  after(async () => {
    await fetcher.close();
    await server.close();
  });

  it('defaults to 5 MiB', () => expect(DEFAULT_MAX_BYTES).to.equal(5 * MB));

  it('aborts a 10 MB body without Content-Length while streaming, with too_large', async () => {
    server.requests.length = 0;
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/ten-megabytes`), 'too_large');
    expect(error.message).to.equal(
      `response body from ${server.origin}/ten-megabytes is larger than ${5 * MB} bytes (received)`,
    );
    // Aborting destroys the connection instead of draining the rest into the pool: the next
    // request needs a new one. (Whether the server finished writing depends on socket buffers.)
    await fetcher.fetchUrl(`${server.origin}/one-megabyte`);
    const [aborted, next] = server.requests.map((req) => req.socket.remotePort);
    expect(next).to.be.a('number').and.not.equal(aborted);
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const error = await expectFetchError(
      fetcher.fetchUrl(`${server.origin}/declared-ten-megabytes`),
      'too_large',
    );
    expect(error.message).to.contain(`Content-Length ${10 * MB}`);
  });

  it('lets a body under the cap through whole', async () => {
    const response = await fetcher.fetchUrl(`${server.origin}/one-megabyte`);
    expect(response.body.length).to.equal(MB);
  });

  it('caps the decompressed size of a gzip bomb, not the compressed one', async () => {
    expect(gzipBomb.length).to.be.lessThan(MB);
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/gzip-bomb`), 'too_large');
    expect(error.message).to.contain('(decompressed)');
  });

  it('caps the decompressed size of a brotli bomb', async () => {
    expect(brotliBomb.length).to.be.lessThan(1024);
    const error = await expectFetchError(fetcher.fetchUrl(`${server.origin}/brotli-bomb`), 'too_large');
    expect(error.message).to.contain('(decompressed)');
  });

  it('asks for gzip and br and hands back decompressed bytes', async () => {
    server.requests.length = 0;
    const response = await fetcher.fetchUrl(`${server.origin}/gzip-small`);
    expect(server.requests[0]?.headers['accept-encoding']).to.equal('gzip, br');
    expect(response.body.toString()).to.equal('<rss/>'.repeat(1000));
  });

  it('applies a configured cap', async () => {
    const small = createSafeFetcher({ allowlist: ['127.0.0.1'], maxBytes: 1000 });
    try {
      await expectFetchError(small.fetchUrl(`${server.origin}/gzip-small`), 'too_large');
    } finally {
      await small.close();
    }
  });
});
