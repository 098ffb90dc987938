/**
 * Parses an HTTP `Retry-After` value into milliseconds from `now`. The header is either
 * delay-seconds (`120`) or an HTTP-date; a date in the past means "now" (0). Anything else is
 * ignored (undefined) rather than trusted: a garbled header must not stall a caller.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // "1.5", "-3": neither form
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
