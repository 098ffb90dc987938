import { FetchError, redactUrl } from './fetch-error.js';

export interface ErrorContext {
  deadline: AbortSignal;
  callerSignal: AbortSignal | undefined;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  totalTimeoutMs: number;
}

/** Maps whatever undici, zlib or the guard threw to a FetchError naming the redacted URL. */
export function toFetchError(error: unknown, url: URL, context: ErrorContext): FetchError {
  const shown = redactUrl(url);
  if (error instanceof FetchError) {
    if (error.url !== undefined) return error;
    return new FetchError(error.code, error.message, {
      url: shown,
      status: error.status,
      headers: error.headers,
      body: error.body,
      cause: error.cause,
    });
  }
  const details = { url: shown, cause: error };
  if (context.deadline.aborted) {
    return new FetchError(
      'timeout',
      `fetching ${shown} took longer than ${context.totalTimeoutMs} ms`,
      details,
    );
  }
  if (context.callerSignal?.aborted)
    return new FetchError('aborted', `fetching ${shown} was aborted`, details);
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new FetchError(
        'timeout',
        `connecting to ${shown} timed out after ${context.connectTimeoutMs} ms`,
        details,
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new FetchError(
        'timeout',
        `no response headers from ${shown} within ${context.readTimeoutMs} ms`,
        details,
      );
    case 'UND_ERR_BODY_TIMEOUT':
      return new FetchError(
        'timeout',
        `the response body from ${shown} stalled for ${context.readTimeoutMs} ms`,
        details,
      );
  }
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new FetchError('network', `request to ${shown} failed: ${reason}`, details);
}
