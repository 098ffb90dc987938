import type { Message } from 'kafkajs';
import type { DeadLetter, ReceivedMessage } from '../port.js';
import { HEADER, clipHeader } from '../headers.js';
import type { ConsumedRecord } from './record-codec.js';
import { KAFKA_HEADER, decodeHeaders, parseAttempt, userHeaders } from './record-codec.js';

/** Where a dead letter sits in its group's DLQ topic; replay markers are keyed by it. */
export interface DeadLetterPosition {
  partition: number;
  offset: string;
}

export interface StoredDeadLetter {
  position: DeadLetterPosition;
  letter: DeadLetter;
}

/** The DLQ record of a message that gave up: the original key, body and headers, plus why and when. */
export function deadLetterRecord(message: ReceivedMessage, reason: string, now: Date): Message {
  return {
    key: message.key ?? null,
    value: message.body,
    headers: {
      ...message.headers,
      [HEADER.attempt]: String(message.attempt),
      [HEADER.reason]: clipHeader(reason),
      [HEADER.deadLetteredAt]: now.toISOString(),
      [HEADER.group]: message.group,
      [KAFKA_HEADER.id]: message.id,
      [HEADER.type]: message.type,
      [KAFKA_HEADER.contentType]: 'application/cloudevents+json',
    },
  };
}

export function decodeDeadLetter(group: string, record: ConsumedRecord): DeadLetter {
  const all = decodeHeaders(record.headers);
  return {
    id: all[KAFKA_HEADER.id] ?? '',
    group,
    type: all[HEADER.type] ?? '',
    key: record.key === null ? undefined : record.key.toString('utf8'),
    headers: userHeaders(all),
    body: record.value ?? Buffer.alloc(0),
    reason: all[HEADER.reason] ?? 'unknown (no reason header)',
    attempts: parseAttempt(all[HEADER.attempt]),
    deadLetteredAt: all[HEADER.deadLetteredAt] ?? new Date(0).toISOString(),
  };
}

/** A replayed dead letter goes to its group's retry topic as a fresh first attempt, due now. */
export function replayRecord(letter: DeadLetter, now: number): Message {
  const headers = { ...letter.headers };
  for (const h of [HEADER.reason, HEADER.deadLetteredAt, HEADER.lastError, HEADER.group]) delete headers[h];
  return {
    key: letter.key ?? null,
    value: letter.body,
    headers: {
      ...headers,
      [HEADER.attempt]: '1',
      [KAFKA_HEADER.notBefore]: String(now),
      [KAFKA_HEADER.id]: letter.id,
      [HEADER.type]: letter.type,
      [KAFKA_HEADER.contentType]: 'application/cloudevents+json',
    },
  };
}

/**
 * Replay markers live in a compacted topic keyed by the dead letter's position and id: the id
 * keeps a marker from hiding a different dead letter if the DLQ topic is ever recreated and its
 * offsets start over.
 */
export function replayMarkerKey(position: DeadLetterPosition, id: string): string {
  return `${position.partition}:${position.offset}:${id}`;
}

export function replayMarker(stored: StoredDeadLetter, now: Date): Message {
  return {
    key: replayMarkerKey(stored.position, stored.letter.id),
    value: JSON.stringify({ id: stored.letter.id, replayedAt: now.toISOString() }),
  };
}

/** Dead letters not yet replayed, in DLQ order (partition, then offset). */
export function liveDeadLetters(
  group: string,
  deadLetters: ReadonlyArray<{ partition: number; record: ConsumedRecord }>,
  markerKeys: ReadonlySet<string>,
): StoredDeadLetter[] {
  return deadLetters
    .map(({ partition, record }) => ({
      position: { partition, offset: record.offset },
      letter: decodeDeadLetter(group, record),
    }))
    .filter((d) => !markerKeys.has(replayMarkerKey(d.position, d.letter.id)))
    .sort((a, b) => comparePositions(a.position, b.position));
}

function comparePositions(a: DeadLetterPosition, b: DeadLetterPosition): number {
  if (a.partition !== b.partition) return a.partition - b.partition;
  const d = BigInt(a.offset) - BigInt(b.offset);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
