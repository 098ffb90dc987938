import type { IncomingHttpHeaders } from 'node:http';
import type { FetchUrlOptions } from './safe-fetcher.js';

/** Headers the fetcher owns: framing, connection management, and what it can decode. */
const RESERVED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'accept-encoding',
  'proxy-authorization',
  'proxy-connection',
]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie']);

export function requestHeaders(
  options: FetchUrlOptions,
  userAgent: string,
  authorization?: string,
): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: '*/*' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const key = name.toLowerCase();
    if (RESERVED_HEADERS.has(key)) throw new TypeError(`the fetcher sets the ${key} header itself`);
    headers[key] = value;
  }
  headers['accept-encoding'] = 'gzip, br';
  if (authorization !== undefined) headers.authorization = authorization;
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
  return headers;
}

export function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)));
}

/** Lower-case names; repeated headers joined with ", ". */
export function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
