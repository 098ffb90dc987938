import type { Message } from 'kafkajs';
import type { FailureDecision } from '../errors.js';
import type { ReceivedMessage } from '../port.js';
import { HEADER, clipHeader } from '../headers.js';
import { KAFKA_HEADER, copyRecord } from './record-codec.js';

type Redelivery = Extract<FailureDecision, { kind: 'retry' | 'defer' }>;

/**
 * The copy of a failed message for its group's retry topic: the next attempt (unchanged for a
 * deferral), the error, and the time before which the retry consumer must not handle it.
 */
export function retryRecord(message: ReceivedMessage, decision: Redelivery, now: number): Message {
  const attempt = decision.kind === 'retry' ? decision.nextAttempt : decision.attempt;
  return copyRecord(message, {
    [HEADER.attempt]: String(attempt),
    [HEADER.lastError]: clipHeader(decision.reason),
    [KAFKA_HEADER.notBefore]: String(notBefore(now, decision.delayMs)),
  });
}

export function notBefore(now: number, delayMs: number): number {
  return now + Math.max(0, Math.round(delayMs));
}

/**
 * How long a retry record still has to wait; 0 when due. A record without a readable not-before
 * (written by hand, or by an older version) is due at once rather than stuck forever.
 */
export function msUntilDue(headers: Record<string, string>, now: number): number {
  const due = Number(headers[KAFKA_HEADER.notBefore]);
  if (!Number.isFinite(due)) return 0;
  return Math.max(0, due - now);
}
