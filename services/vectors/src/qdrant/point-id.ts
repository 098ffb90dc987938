import { createHash } from 'node:crypto';

/**
 * Qdrant point ids must be unsigned integers or UUIDs; ours are arbitrary strings. Each id maps to
 * a name-based UUID (RFC 9562 version 5: SHA-1 of a fixed namespace and the id), so the same id is
 * always the same point (upsert replaces, delete finds it) with no lookup table. The original id
 * travels in the payload under ORIGINAL_ID_KEY.
 */
const NAMESPACE = Buffer.from('5c0a4c4e9a5b4d0e8f3b7d1e2a6c9b30', 'hex');

/** `@` cannot start a port payload key (they are identifiers), so this never collides with one. */
export const ORIGINAL_ID_KEY = '@id';

export function pointUuid(id: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(id, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
