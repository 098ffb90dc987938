/**
 * What a failed remote call means for the caller:
 * - `transient`: may work if tried again soon (network error, timeout, 5xx, 408, 425, 429); retried.
 * - `unavailable`: will not work until someone fixes something on the provider side (401/403
 *   token, 404 model or endpoint, a malformed or wrong-sized answer); not retried now, but the
 *   caller must wait and ask again later, never drop the input: it is not the input's fault.
 * - `invalid`: the server refused this input (other 4xx); never retried, not the provider's fault.
 * - `aborted`: the caller gave up; neither a provider failure nor an input failure.
 * - `unknown`: anything else (usually a bug on our side); passed through unchanged.
 */
export type FailureKind = 'transient' | 'unavailable' | 'invalid' | 'aborted' | 'unknown';

export interface Failure {
  kind: FailureKind;
  reason: string;
  status?: number;
  /** How long the server asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
}

/** Thrown by a guarded function that already knows what kind of failure it hit. */
export class RemoteCallError extends Error {
  override readonly name = 'RemoteCallError';
  constructor(
    message: string,
    readonly kind: Exclude<FailureKind, 'aborted' | 'unknown'>,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
  get code(): string {
    return `remote_${this.kind}`;
  }
}

/** One attempt took longer than its time limit (its request was aborted). */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  readonly code = 'ETIMEDOUT';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

const TRANSIENT_STATUS = new Set([408, 425, 429]);
/** Wrong token, no access, unknown model or endpoint: the operator must act; the input is fine. */
const UNAVAILABLE_STATUS = new Set([401, 403, 404]);

/** Socket-level error codes (Node and undici) that a later attempt can survive. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Classifies by HTTP status alone. */
export function classifyStatus(status: number): Exclude<FailureKind, 'aborted' | 'unknown'> | undefined {
  if (status >= 500 || TRANSIENT_STATUS.has(status)) return 'transient';
  if (UNAVAILABLE_STATUS.has(status)) return 'unavailable';
  if (status >= 400) return 'invalid';
  return undefined;
}

/**
 * Decides what an error thrown by a remote call means. Reads an explicit RemoteCallError first,
 * then an HTTP status wherever common clients keep it (`status`, `statusCode`,
 * `httpResponse.status`, `response.status`), then socket error codes along the `cause` chain.
 */
export function classifyFailure(err: unknown): Failure {
  const reason = describe(err);
  if (err instanceof RemoteCallError)
    return withOptional({ kind: err.kind, reason }, err.details.status, err.details.retryAfterMs);
  if (err instanceof CallTimeoutError) return { kind: 'transient', reason };
  const status = statusOf(err);
  const retryAfterMs = numberAt(err, ['retryAfterMs']);
  if (status !== undefined) {
    const kind = classifyStatus(status);
    if (kind) return withOptional({ kind, reason }, status, retryAfterMs);
  }
  if (isAbort(err)) return { kind: 'aborted', reason };
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return { kind: 'transient', reason };
  }
  // undici reports every connection-level failure as `TypeError: fetch failed` (cause: the socket error).
  if (err instanceof TypeError && err.message === 'fetch failed') return { kind: 'transient', reason };
  return { kind: 'unknown', reason };
}

function withOptional(f: Failure, status: number | undefined, retryAfterMs: number | undefined): Failure {
  if (status !== undefined) f.status = status;
  if (retryAfterMs !== undefined) f.retryAfterMs = retryAfterMs;
  return f;
}

function statusOf(err: unknown): number | undefined {
  return (
    numberAt(err, ['status']) ??
    numberAt(err, ['statusCode']) ??
    numberAt(err, ['httpResponse', 'status']) ??
    numberAt(err, ['response', 'status'])
  );
}

function numberAt(value: unknown, path: string[]): number | undefined {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError';
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
