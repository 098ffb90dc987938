import type { Readable } from 'node:stream';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FetchError } from './fetch-error.js';

export interface ReadBodyOptions {
  /** The Content-Encoding header, if any. */
  contentEncoding?: string | undefined;
  /** The Content-Length header, if any. */
  contentLength?: string | undefined;
  /** The cap, applied to the bytes received and to the bytes after decompression. */
  maxBytes: number;
  /** Redacted, for messages. */
  url: string;
  /** Keep the first `maxBytes` and stop reading instead of failing (error pages, diagnostics). */
  truncate?: boolean;
}

/**
 * Reads a response body into memory, decompressing it, and stops (destroying the source, which
 * closes the connection) as soon as either the wire bytes or the decompressed bytes pass the cap,
 * so a decompression bomb costs at most about `maxBytes` of memory.
 */
export async function readBody(source: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes, url } = options;
  const tooLarge = (what: string) =>
    new FetchError('too_large', `response body from ${url} is larger than ${maxBytes} bytes (${what})`, {
      url,
    });
  if (options.contentLength && Number(options.contentLength) > maxBytes && !options.truncate) {
    discard(source);
    throw tooLarge(`Content-Length ${options.contentLength}`);
  }
  let decoder: Transform | null;
  try {
    decoder = decoderFor(options.contentEncoding);
  } catch (error) {
    discard(source);
    throw new FetchError('network', `${(error as Error).message} from ${url}`, { url });
  }

  // The first reason to stop; pipeline may report the resulting AbortError instead.
  let stop: FetchError | 'truncated' | undefined;
  let wireBytes = 0;
  const countWire = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      wireBytes += chunk.length;
      // When truncating, output is bounded below and the caller's deadline bounds the time.
      if (wireBytes <= maxBytes || options.truncate) return done(null, chunk);
      const error = tooLarge('received');
      stop ??= error;
      done(error);
    },
  });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    await pipeline(
      source,
      countWire,
      decoder ?? new PassThrough(),
      async (decoded: AsyncIterable<Buffer>) => {
        for await (const chunk of decoded) {
          const room = maxBytes - size;
          if (chunk.length > room) {
            if (!options.truncate) throw (stop ??= tooLarge(decoder ? 'decompressed' : 'received'));
            chunks.push(chunk.subarray(0, room));
            size = maxBytes;
            stop = 'truncated';
            source.destroy(); // the rest is not wanted; free the connection
            return;
          }
          size += chunk.length;
          chunks.push(chunk);
        }
      },
    );
  } catch (error) {
    if (stop === 'truncated') return Buffer.concat(chunks, size);
    if (stop) throw stop;
    if (error instanceof FetchError) throw error;
    // zlib reports Z_DATA_ERROR and the like; brotli ERR__ERROR_FORMAT_...
    if (/^(Z_|ERR__ERROR_)/.test((error as NodeJS.ErrnoException).code ?? '')) {
      throw new FetchError('network', `could not decompress the response body from ${url}`, {
        url,
        cause: error,
      });
    }
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/** Closes the connection; the abort error the source then emits has no one to tell. */
function discard(source: Readable): void {
  source.on('error', () => {}).destroy();
}

/** Null for an identity body. Stacked encodings ("gzip, br") are refused: servers do not send them. */
function decoderFor(contentEncoding: string | undefined): Transform | null {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding !== '' && encoding !== 'identity');
  const [encoding, ...more] = encodings;
  if (encoding === undefined) return null;
  if (more.length > 0)
    throw new Error(`unsupported stacked Content-Encoding "${encodings.join(', ').slice(0, 60)}"`);
  // Lenient about a missing end, like browsers: a truncated stream yields what it holds.
  if (encoding === 'gzip' || encoding === 'x-gzip')
    return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
  if (encoding === 'deflate') return createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
  if (encoding === 'br') return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
  throw new Error(`unsupported Content-Encoding "${encoding.slice(0, 40)}"`);
}
