import { expect } from 'chai';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { FetchError } from './fetch-error.js';
import { readBody } from './read-body.js';

const source = (...chunks: Buffer[]) => Readable.from(chunks);
const url = 'http://example.test/feed';

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected a failure');
}

describe('readBody', () => {
  const text = Buffer.from('<rss>'.padEnd(5000, 'x') + '</rss>');

  it('returns identity bodies as they came', async () => {
    expect(
      await readBody(source(text.subarray(0, 10), text.subarray(10)), { maxBytes: 10_000, url }),
    ).to.deep.equal(text);
  });

  it('decodes gzip, x-gzip, deflate and br', async () => {
    for (const [encoding, encoded] of [
      ['gzip', gzipSync(text)],
      ['X-Gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['br', brotliCompressSync(text)],
      ['identity', text],
    ] as const) {
      const body = await readBody(source(encoded), { contentEncoding: encoding, maxBytes: 10_000, url });
      expect(body.equals(text), encoding).to.equal(true);
    }
  });

  it('fails fast on a Content-Length over the cap', async () => {
    const error = await failure(readBody(source(text), { contentLength: '5006', maxBytes: 5000, url }));
    expect(error.code).to.equal('too_large');
    expect(error.message).to.contain('Content-Length 5006');
  });

  it('caps the received bytes when no length was declared', async () => {
    expect((await failure(readBody(source(text), { maxBytes: 1000, url }))).code).to.equal('too_large');
  });

  it('caps the decompressed bytes, not just the compressed ones', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    expect(bomb.length).to.be.lessThan(64 * 1024);
    const error = await failure(
      readBody(source(bomb), { contentEncoding: 'gzip', maxBytes: 1024 * 1024, url }),
    );
    expect(error.code).to.equal('too_large');
    expect(error.message).to.contain('decompressed');
  });

  it('keeps the first maxBytes when asked to truncate', async () => {
    const body = await readBody(source(text), { maxBytes: 100, url, truncate: true });
    expect(body.equals(text.subarray(0, 100))).to.equal(true);
  });

  it('reports corrupt compressed data and unknown encodings as network errors', async () => {
    const corrupt = await failure(
      readBody(source(Buffer.from('this is not gzip at all')), {
        contentEncoding: 'gzip',
        maxBytes: 100,
        url,
      }),
    );
    expect(corrupt.code).to.equal('network');
    expect(corrupt.message).to.contain('decompress');
    const unknown = await failure(readBody(source(text), { contentEncoding: 'zstd', maxBytes: 10_000, url }));
    expect(unknown.code).to.equal('network');
    expect(unknown.message).to.contain('zstd');
    const stacked = await failure(
      readBody(source(text), { contentEncoding: 'gzip, br', maxBytes: 10_000, url }),
    );
    expect(stacked.code).to.equal('network');
  });

  it('accepts an empty compressed body (204, HEAD-like answers)', async () => {
    expect((await readBody(source(), { contentEncoding: 'gzip', maxBytes: 100, url })).length).to.equal(0);
  });
});
