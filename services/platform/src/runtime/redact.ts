/** Keeps secrets out of logs, error messages and config reports. */

export const REDACTED = '[REDACTED]';

/**
 * A key names a secret when its last word does (`password`, `HF_TOKEN`, `apiKey`, `X-Api-Key`,
 * `authorization`). Judging by the last word keeps `tokenCount` or `secretName` readable.
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'authorization',
  'cookie',
  'credential',
  'credentials',
]);

/** `scheme://user:password@` — the password part is replaced, the user kept for debugging. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s]*):([^@/?#\s]*)@/gi;

export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1) ?? '';
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(words.slice(-2).join(''));
}

/** Masks the password of every URL in a string: `amqp://guest:guest@host` -> `amqp://guest:***@host`. */
export function redact(value: string): string {
  return value.replace(URL_CREDENTIALS, (_match, scheme: string, user: string) => `${scheme}${user}:***@`);
}

/**
 * A copy of `value` with secret-named keys masked and URL passwords removed from strings, at any
 * depth. Cycles and very deep structures are cut rather than followed.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= 8) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  if (value instanceof Error) return redactError(value, depth, seen);
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactDeep(item, depth + 1, seen);
  }
  return out;
}

function redactError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: redact(err.message) };
  if (err.stack) out.stack = redact(err.stack);
  for (const [key, item] of Object.entries(err)) {
    out[key] = isSecretKey(key) ? REDACTED : redactDeep(item, depth + 1, seen);
  }
  return out;
}
