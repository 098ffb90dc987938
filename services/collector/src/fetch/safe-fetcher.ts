import { isIP } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';
import { createAddressPolicy, type AddressPolicy } from './address-policy.js';
import { FetchError, redactUrl } from './fetch-error.js';
import { createGuardedConnector, systemLookup, type LookupFunction } from './guarded-connector.js';
import { readBody } from './read-body.js';
import { flatten, requestHeaders, withoutCredentials } from './request-headers.js';
import { parseTarget, redirectTarget } from './target-url.js';
import { toFetchError } from './to-fetch-error.js';

export const DEFAULT_USER_AGENT = 'Trendmill/0.1 (+https://github.com/trendmill/trendmill)';
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
/** How much of an error response's body a FetchError('http_error') keeps. */
export const HTTP_ERROR_BODY_BYTES = 64 * 1024;

export interface SafeFetcherOptions {
  /**
   * CIDRs / addresses (`127.0.0.0/8`, `::1`) and exact host names that may be reached even though
   * the SSRF guard would refuse them. Empty by default: only public addresses.
   */
  allowlist?: readonly string[];
  maxRedirects?: number;
  /** Cap on the body, on the wire and after decompression. */
  maxBytes?: number;
  /** Name resolution, and TCP + TLS handshake, each. */
  connectTimeoutMs?: number;
  /** Waiting for the response headers, and the longest pause between two body chunks. */
  readTimeoutMs?: number;
  /** The whole fetch, redirects included: bounds a server that trickles bytes. */
  totalTimeoutMs?: number;
  userAgent?: string;
  /** Name resolution; `dns.lookup` with `all: true` by default. */
  lookup?: LookupFunction;
  /** Extra trusted CA certificates (PEM), e.g. for an allowlisted internal host; added to the bundled roots. */
  ca?: string | readonly string[];
}

export interface FetchUrlOptions {
  /** A validator from an earlier response: sent as If-None-Match. */
  etag?: string;
  /** From an earlier response: sent as If-Modified-Since. */
  lastModified?: string;
  /** Extra request headers. Authorization and Cookie are not carried across origins on redirect. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchedResponse {
  status: number;
  /** The final URL, after redirects, without user info. */
  url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decompressed. Empty for 304. */
  body: Buffer;
  notModified: boolean;
  /** The response's validator (for 304: the response's, else the one sent). */
  etag?: string;
  lastModified?: string;
  contentType?: string;
}

export interface SafeFetcher {
  /** GET with the SSRF guard on every hop; throws FetchError. Statuses >= 400 are http_error. */
  fetchUrl(url: string | URL, options?: FetchUrlOptions): Promise<FetchedResponse>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

// Followed by hand (undici's request() never follows), so every hop passes the guard again.
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function createSafeFetcher(options: SafeFetcherOptions = {}): SafeFetcher {
  const settings = {
    maxRedirects: count(options.maxRedirects, DEFAULT_MAX_REDIRECTS, 'maxRedirects', 0),
    maxBytes: count(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes'),
    connectTimeoutMs: count(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs'),
    readTimeoutMs: count(options.readTimeoutMs, DEFAULT_READ_TIMEOUT_MS, 'readTimeoutMs'),
    totalTimeoutMs: count(options.totalTimeoutMs, DEFAULT_TOTAL_TIMEOUT_MS, 'totalTimeoutMs'),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
  };
  const policy = createAddressPolicy(options.allowlist);
  const agent = new Agent({
    connect: createGuardedConnector({
      policy,
      lookup: options.lookup ?? systemLookup,
      connectTimeoutMs: settings.connectTimeoutMs,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    }),
    headersTimeout: settings.readTimeoutMs,
    bodyTimeout: settings.readTimeoutMs,
  });

  async function fetchUrl(input: string | URL, fetchOptions: FetchUrlOptions = {}): Promise<FetchedResponse> {
    const { url: start, authorization } = parseTarget(input);
    const headers = requestHeaders(fetchOptions, settings.userAgent, authorization);
    const deadline = AbortSignal.timeout(settings.totalTimeoutMs);
    const signal = fetchOptions.signal ? AbortSignal.any([deadline, fetchOptions.signal]) : deadline;
    let url = start;
    let credentialsAllowed = true;
    try {
      for (let redirects = 0; ; redirects++) {
        checkLiteralHost(url, policy);
        const response = await request(url, {
          dispatcher: agent,
          method: 'GET',
          headers: credentialsAllowed ? headers : withoutCredentials(headers),
          signal,
        });
        const responseHeaders = flatten(response.headers);
        const location = responseHeaders.location;
        if (REDIRECT_STATUSES.has(response.statusCode) && location !== undefined) {
          await response.body.dump();
          if (redirects >= settings.maxRedirects) {
            throw new FetchError(
              'too_many_redirects',
              `more than ${settings.maxRedirects} redirects fetching ${redactUrl(start)}`,
            );
          }
          const next = redirectTarget(location, url);
          credentialsAllowed &&= next.origin === url.origin;
          url = next;
          continue;
        }
        return await finish(response.statusCode, responseHeaders, response.body, url, fetchOptions);
      }
    } catch (error) {
      throw toFetchError(error, url, { deadline, callerSignal: fetchOptions.signal, ...settings });
    }
  }

  async function finish(
    status: number,
    headers: Record<string, string>,
    body: Dispatcher.ResponseData['body'],
    url: URL,
    fetchOptions: FetchUrlOptions,
  ): Promise<FetchedResponse> {
    const shown = redactUrl(url);
    const read = (maxBytes: number, truncate = false) =>
      readBody(body, {
        contentEncoding: headers['content-encoding'],
        contentLength: headers['content-length'],
        maxBytes,
        truncate,
        url: shown,
      });
    if (status < 200 || status >= 300) {
      if (status === 304) {
        await body.dump();
        return {
          ...describe(status, headers, url, Buffer.alloc(0)),
          notModified: true,
          etag: headers.etag ?? fetchOptions.etag,
          lastModified: headers['last-modified'] ?? fetchOptions.lastModified,
        };
      }
      const errorBody = await read(HTTP_ERROR_BODY_BYTES, true).catch(() => undefined);
      throw new FetchError('http_error', `HTTP ${status} from ${shown}`, {
        url: shown,
        status,
        headers,
        body: errorBody,
      });
    }
    return describe(status, headers, url, await read(settings.maxBytes));
  }

  return { fetchUrl, close: () => agent.close() };
}

function describe(status: number, headers: Record<string, string>, url: URL, body: Buffer): FetchedResponse {
  const response: FetchedResponse = { status, url: url.href, headers, body, notModified: false };
  if (headers.etag !== undefined) response.etag = headers.etag;
  if (headers['last-modified'] !== undefined) response.lastModified = headers['last-modified'];
  if (headers['content-type'] !== undefined) response.contentType = headers['content-type'];
  return response;
}

/**
 * An IP-literal host involves no lookup; refusing it here gives the clearest error (the
 * connector checks it again before any socket is opened).
 */
function checkLiteralHost(url: URL, policy: AddressPolicy): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) policy.assertAllowed(host, host);
}

function count(value: number | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value >= min) return value;
  throw new RangeError(`${name} must be an integer >= ${min}`);
}
