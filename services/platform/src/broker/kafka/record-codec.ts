import type { IHeaders, Message } from 'kafkajs';
import type { OutgoingMessage, ReceivedMessage } from '../port.js';
import { HEADER } from '../headers.js';

/** Headers only the Kafka transport uses; they never reach a handler's `headers`. */
export const KAFKA_HEADER = {
  id: 'x-trendmill-id',
  /** Epoch milliseconds before which a retry record must not be handled. */
  notBefore: 'x-trendmill-not-before',
  contentType: 'content-type',
} as const;

const TRANSPORT_HEADERS = new Set<string>([
  KAFKA_HEADER.id,
  KAFKA_HEADER.notBefore,
  KAFKA_HEADER.contentType,
  HEADER.type,
]);

/** What the adapter reads from a consumed record (a kafkajs `KafkaMessage` fits). */
export interface ConsumedRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders | undefined;
  offset: string;
}

/** Kafka header values arrive as Buffers (an array when a name repeats: the last one wins). */
export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}

/** The headers a handler sees: everything but the transport's own. */
export function userHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
}

/** The record published for a message: key = entity key (per-key order), id and type in headers. */
export function outgoingRecord(message: OutgoingMessage): Message {
  return {
    key: message.key ?? null,
    value: message.body,
    headers: {
      ...message.headers,
      [KAFKA_HEADER.id]: message.id,
      [HEADER.type]: message.type,
      [KAFKA_HEADER.contentType]: 'application/cloudevents+json',
    },
  };
}

/** A consumed record as a handler gets it; only retry records carry an attempt other than 1. */
export function receivedMessage(
  record: ConsumedRecord,
  group: string,
  fromRetryTopic: boolean,
): ReceivedMessage {
  const all = decodeHeaders(record.headers);
  const attempt = fromRetryTopic ? parseAttempt(all[HEADER.attempt]) : 1;
  return {
    id: all[KAFKA_HEADER.id] ?? '',
    type: all[HEADER.type] ?? '',
    key: record.key === null ? undefined : record.key.toString('utf8'),
    headers: { ...userHeaders(all), [HEADER.attempt]: String(attempt) },
    body: record.value ?? Buffer.alloc(0),
    attempt,
    group,
  };
}

/** Re-encodes a delivered message with extra headers (retry and dead-letter copies). */
export function copyRecord(message: ReceivedMessage, headers: Record<string, string>): Message {
  return {
    key: message.key ?? null,
    value: message.body,
    headers: {
      ...message.headers,
      ...headers,
      [KAFKA_HEADER.id]: message.id,
      [HEADER.type]: message.type,
      [KAFKA_HEADER.contentType]: 'application/cloudevents+json',
    },
  };
}

export function parseAttempt(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
