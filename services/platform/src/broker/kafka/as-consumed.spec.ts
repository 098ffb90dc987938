// A test helper, not a suite: named *.spec.ts so it stays out of the build like the specs using it.
import type { IHeaders, Message } from 'kafkajs';
import type { ConsumedRecord } from './record-codec.js';

/** What a produced record looks like when consumed: kafkajs hands every header value back as a Buffer. */
export function asConsumed(message: Message, offset = '0'): ConsumedRecord {
  const headers: IHeaders = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) {
    if (v !== undefined) headers[k] = Buffer.from(String(v));
  }
  return { key: toBuffer(message.key), value: toBuffer(message.value), headers, offset };
}

function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  if (v === undefined || v === null) return null;
  return Buffer.isBuffer(v) ? v : Buffer.from(v);
}
