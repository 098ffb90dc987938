import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A key reads `tm_<id>_<secret>`: the id finds the row without scanning, the secret is checked
 * against sha256(salt || secret). 12 id characters and 32 secret bytes (base64url) make both
 * guessing and collisions hopeless; the prefix lets secret scanners recognise leaked keys.
 */
const KEY_PATTERN = /^tm_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface GeneratedKey {
  id: string;
  plaintext: string;
  salt: string;
  hash: string;
}

export function generateApiKey(): GeneratedKey {
  const id = [...randomBytes(12)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { id, plaintext: `tm_${id}_${secret}`, salt, hash: hashSecret(salt, secret) };
}

export function parseApiKey(plaintext: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(plaintext);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(salt: string, secret: string): string {
  return createHash('sha256').update(salt).update(':').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(salt: string, secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(salt, secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** What logs and listings may show of a key: never the secret. */
export function maskKey(id: string): string {
  return `tm_${id}_…`;
}
