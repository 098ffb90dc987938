import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import {
  eventCatalog,
  isEventType,
  type EventDataMap,
  type EventType,
  type TrendmillEvent,
} from './catalog.js';

export type ParseFailureCode = 'malformed_json' | 'invalid_envelope' | 'unknown_event_type' | 'invalid_data';
export type ParseEventResult =
  { ok: true; event: TrendmillEvent } | { ok: false; code: ParseFailureCode; reason: string };

/** Largest serialized event accepted (an embedded item with a 4096-d vector and long text fits). */
export const MAX_EVENT_BYTES = 512 * 1024;

/** Validates an event from the wire; never throws. Unknown types and versions are refused by name. */
export function parseEvent(input: unknown): ParseEventResult {
  let value = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
    if (size > MAX_EVENT_BYTES) {
      return {
        ok: false,
        code: 'malformed_json',
        reason: `event is ${size} bytes, over the ${MAX_EVENT_BYTES} limit`,
      };
    }
    try {
      value = JSON.parse(input.toString()) as unknown;
    } catch (err) {
      return { ok: false, code: 'malformed_json', reason: `not JSON: ${(err as Error).message}` };
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    return { ok: false, code: 'invalid_envelope', reason: `envelope: ${summarize(envelope.error)}` };
  }
  const { type } = envelope.data;
  if (!isEventType(type)) {
    return { ok: false, code: 'unknown_event_type', reason: `unknown event type or version "${type}"` };
  }
  const data = (eventCatalog[type].schema as z.ZodType).safeParse(envelope.data.data);
  if (!data.success) {
    return { ok: false, code: 'invalid_data', reason: `${type} data: ${summarize(data.error)}` };
  }
  return { ok: true, event: { ...envelope.data, data: data.data } as TrendmillEvent };
}

export interface CreateEventOptions {
  source: string;
  subject: string;
  id?: string;
  time?: string;
  traceparent?: string;
  correlationid?: string;
}

/** Builds a valid envelope around `data`; throws a clear Error if the data does not fit its schema. */
export function createEvent<T extends EventType>(
  type: T,
  data: EventDataMap[T],
  options: CreateEventOptions,
): TrendmillEvent<T> {
  const parsed = (eventCatalog[type].schema as z.ZodType).safeParse(data);
  if (!parsed.success) throw new Error(`invalid ${type} data: ${summarize(parsed.error)}`);
  const event = {
    specversion: '1.0' as const,
    id: options.id ?? randomUUID(),
    type,
    source: options.source,
    time: options.time ?? new Date().toISOString(),
    subject: options.subject,
    datacontenttype: 'application/json' as const,
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    ...(options.correlationid ? { correlationid: options.correlationid } : {}),
    data: parsed.data as EventDataMap[T],
  };
  return event as unknown as TrendmillEvent<T>;
}

export function serializeEvent(event: TrendmillEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
