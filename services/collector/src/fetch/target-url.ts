import { FetchError, redactUrl } from './fetch-error.js';

/** The URL without user info, and user info turned into Basic credentials for its origin. */
export function parseTarget(input: string | URL): { url: URL; authorization?: string } {
  let url: URL;
  try {
    url = new URL(input.toString());
  } catch {
    throw new FetchError('bad_url', `not a valid URL: ${redactUrl(input.toString())}`);
  }
  checkScheme(url);
  if (!url.username && !url.password) return { url };
  const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url, authorization: `Basic ${Buffer.from(user).toString('base64')}` };
}

export function redirectTarget(location: string, from: URL): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FetchError('bad_url', `${redactUrl(from)} redirected to an invalid URL`);
  }
  checkScheme(next);
  next.username = '';
  next.password = '';
  return next;
}

function checkScheme(url: URL): void {
  if (url.protocol === 'http:' || url.protocol === 'https:') return;
  const message = `only http and https URLs can be fetched, not ${url.protocol.slice(0, 20)}`;
  throw new FetchError('bad_url', message, { url: redactUrl(url) });
}
