import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { parseRetryAfter } from '@trendmill/collector';
import { ImportError } from './import-error.js';
import { backoffMs, isTransientStatus, type RetryPolicy } from './retry-policy.js';

/** What `POST /ingest/batch` answers; checked, because line numbers are mapped through `index`. */
const batchAnswer = z.object({
  sourceId: z.string().nullable(),
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  results: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      code: z.string().optional(),
      message: z.string().optional(),
      itemId: z.string().optional(),
    }),
  ),
});
export type BatchAnswer = z.infer<typeof batchAnswer>;

const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface RetryNotice {
  /** The retry about to be made, 1-based, and how many there may be. */
  attempt: number;
  retries: number;
  delayMs: number;
  reason: string;
}

export interface CollectorClientOptions {
  /** The collector API's base, ending in `/api/v1`. */
  apiUrl: string;
  apiKey?: string | undefined;
  retry: RetryPolicy;
  /** Per request; a collector that takes longer is treated like one that failed (and retried). */
  timeoutMs?: number;
  /** Aborts waiting and requests (Ctrl-C). */
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
}

/** The longest a single batch request may take before it is given up and retried. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Thrown for HTTP 413; the importer splits the batch and tries the halves. */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

type Attempt = { ok: true; response: Response; text: string } | { ok: false; reason: string; cause: unknown };

/**
 * The collector's ingest API as the importer needs it. Transient trouble (connection refused or
 * reset, timeouts, 5xx, 429 honouring Retry-After) is retried with backoff so that no batch is
 * silently lost; what retrying cannot fix becomes an ImportError with a one-line explanation.
 * The API key is sent as a bearer token and never appears in any message.
 */
export class CollectorClient {
  private readonly headers: Record<string, string>;
  /** The API URL as shown to people: without credentials, query or fragment. */
  readonly shownUrl: string;

  constructor(private readonly options: CollectorClientOptions) {
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
    const url = new URL(options.apiUrl);
    this.shownUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  }

  /**
   * One cheap request before the file is read, so a wrong URL or a missing key is reported at
   * once instead of after the first batch, and a collector that is not running is not retried for
   * a minute: nothing has been sent yet, so failing fast loses nothing.
   */
  async check(): Promise<void> {
    const { response, text } = await this.request('GET', '/sources?limit=1', undefined, false);
    if (response.ok) return;
    if (response.status === 404)
      throw new ImportError(
        'refused',
        `no Trendmill collector API at ${this.shownUrl} (HTTP 404); check --url / TRENDMILL_URL`,
      );
    this.failFor(response, text);
  }

  /** Sends one batch body (JSON text), retrying transient failures; resolves to the checked answer. */
  async postBatch(body: string): Promise<BatchAnswer> {
    const { response, text } = await this.request('POST', '/ingest/batch', body, true);
    if (response.ok) return this.readAnswer(text);
    if (response.status === 413)
      throw new PayloadTooLargeError(`HTTP 413 for a ${Buffer.byteLength(body)}-byte batch`);
    return this.failFor(response, text);
  }

  /**
   * The first answer that is not transient (success or a 4xx), after retries with backoff.
   * `retryNetwork: false` turns a connection failure into `unreachable` at once.
   */
  private async request(
    method: string,
    path: string,
    body: string | undefined,
    retryNetwork: boolean,
  ): Promise<{ response: Response; text: string }> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(method, path, body);
      let reason: string;
      let waitMs: number | undefined;
      if (!result.ok) {
        if (!retryNetwork)
          throw new ImportError(
            'unreachable',
            `cannot reach the collector at ${this.shownUrl} (${result.reason}); is Trendmill running? ` +
              'Start it with `make run`, or point --url / TRENDMILL_URL at it',
            { cause: result.cause },
          );
        reason = result.reason;
      } else if (!isTransientStatus(result.response.status)) {
        return result;
      } else {
        reason = `HTTP ${result.response.status}${this.errorSuffix(result.text)}`;
        waitMs = parseRetryAfter(result.response.headers.get('retry-after') ?? undefined, new Date());
        if (waitMs !== undefined && waitMs > retry.maxRetryAfterMs)
          throw new ImportError(
            'unavailable',
            `the collector at ${this.shownUrl} asks to wait ${Math.ceil(waitMs / 1000)} s before retrying (${reason})`,
          );
      }
      if (attempt >= retry.retries)
        throw new ImportError(
          'unavailable',
          `the collector at ${this.shownUrl} still fails after ${retry.retries + 1} attempts: ${reason}`,
        );
      const delayMs = waitMs ?? backoffMs(attempt + 1, retry);
      this.options.onRetry?.({ attempt: attempt + 1, retries: retry.retries, delayMs, reason });
      await sleep(delayMs, undefined, this.options.signal ? { signal: this.options.signal } : {}).catch(() =>
        this.throwIfInterrupted(),
      );
    }
  }

  private async attempt(method: string, path: string, body?: string): Promise<Attempt> {
    this.throwIfInterrupted();
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    try {
      const response = await fetch(`${this.options.apiUrl}${path}`, {
        method,
        headers: this.headers,
        signal,
        ...(body === undefined ? {} : { body }),
      });
      return { ok: true, response, text: await response.text() };
    } catch (err) {
      this.throwIfInterrupted();
      if (timeout.aborted) return { ok: false, reason: 'no answer in time', cause: err };
      return { ok: false, reason: networkReason(err), cause: err };
    }
  }

  private readAnswer(text: string): BatchAnswer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = batchAnswer.safeParse(json);
    if (!parsed.success)
      throw new ImportError(
        'bad_response',
        `the collector at ${this.shownUrl} answered the batch with something other than a batch result; is --url a Trendmill collector?`,
      );
    return parsed.data;
  }

  private failFor(response: Response, text: string): never {
    if (response.status === 401 || response.status === 403)
      throw new ImportError(
        'unauthorized',
        this.options.apiKey
          ? `the collector at ${this.shownUrl} refused the API key (HTTP ${response.status}); check --api-key / TRENDMILL_API_KEY`
          : `the collector at ${this.shownUrl} needs an API key (HTTP ${response.status}): pass --api-key or set TRENDMILL_API_KEY`,
      );
    throw new ImportError(
      'refused',
      `the collector at ${this.shownUrl} refused the request: HTTP ${response.status}${this.errorSuffix(text)}`,
    );
  }

  /** ` (code: message)` from the collector's error body, when it sent one. */
  private errorSuffix(text: string): string {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return '';
    }
    const parsed = errorAnswer.safeParse(json);
    return parsed.success ? ` (${parsed.data.error.code}: ${parsed.data.error.message})` : '';
  }

  private throwIfInterrupted(): void {
    if (this.options.signal?.aborted) throw new ImportError('interrupted', 'interrupted');
  }
}

/** `connect ECONNREFUSED 127.0.0.1:8080`, `other side closed`…: the most specific thing fetch's error chain says. */
function networkReason(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  // Connecting to a name with IPv4 and IPv6 addresses fails with one error per address.
  if (e instanceof AggregateError && e.errors.length)
    return [...new Set(e.errors.map((one: unknown) => networkReason(one)))].join('; ');
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code !== 'string' || message.includes(code)) return message || 'network error';
  return message ? `${code}: ${message}` : code;
}
