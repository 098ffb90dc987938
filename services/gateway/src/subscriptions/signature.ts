import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'Trendmill-Signature';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** The HMAC-SHA256 of `<t>.<body>` under `secret`, in hex. */
export function computeSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(typeof body === 'string' ? Buffer.from(body) : body)
    .digest('hex');
}

/** The `Trendmill-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string | Buffer, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch' };

export interface VerifyOptions {
  /** How far the signed time may be from `now` (default 300 s); bounds replays of captured requests. */
  toleranceSeconds?: number;
  /** Receivers pass their clock; defaults to the system clock. */
  now?: Date | number;
}

/**
 * Checks a `Trendmill-Signature` header against the raw request body, as a receiver must: over
 * the exact bytes received (not re-serialized JSON), in constant time, and only within the
 * replay window. Several `v1=` entries are accepted so a sender can sign with an old and a new
 * secret while they rotate.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string | Buffer,
  options: VerifyOptions = {},
): SignatureCheck {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed_header' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const now = options.now === undefined ? Date.now() : Number(options.now);
  if (Math.abs(Math.floor(now / 1000) - parsed.timestamp) > tolerance)
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, body), 'hex');
  const matches = parsed.signatures.some((candidate) => {
    const given = Buffer.from(candidate, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'signature_mismatch' };
}

function parseSignatureHeader(
  header: string | undefined | null,
): { timestamp: number; signatures: string[] } | undefined {
  if (!header || header.length > 2_000) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^[0-9]{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}
