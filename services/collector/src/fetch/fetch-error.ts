export type FetchErrorCode =
  | 'ssrf_blocked'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'http_error'
  | 'bad_url'
  | 'network'
  | 'aborted';

export interface FetchErrorDetails {
  /** The URL being fetched, redacted (see redactUrl). */
  url?: string;
  /** http_error: the status of the final response. */
  status?: number;
  /** http_error: the response headers (lower-case names), e.g. for Retry-After. */
  headers?: Record<string, string>;
  /** http_error: the start of the response body (at most HTTP_ERROR_BODY_BYTES), for diagnostics. */
  body?: Buffer;
  cause?: unknown;
}

/**
 * Why a fetch failed. Messages name the URL only in its redacted form, so they can be logged and
 * stored (e.g. in the fetch log or a `source.failed` event) without leaking credentials.
 */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly body: Buffer | undefined;

  constructor(
    readonly code: FetchErrorCode,
    message: string,
    details: FetchErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
    this.status = details.status;
    this.headers = details.headers;
    this.body = details.body;
  }
}

export function isFetchError(error: unknown, code?: FetchErrorCode): error is FetchError {
  return error instanceof FetchError && (code === undefined || error.code === code);
}

const SECRET_PARAM = /token|key|secret|pass|sig|auth|session|code|credential/i;

/**
 * The URL without user info and fragment, and with the values of credential-looking query
 * parameters (`token`, `api_key`, `sig`...) replaced by `***`. Input that is not a URL is not
 * echoed at all.
 */
export function redactUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(input.toString());
  } catch {
    return '<invalid url>';
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  for (const name of new Set(url.searchParams.keys())) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.toString();
}
