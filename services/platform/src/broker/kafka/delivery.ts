import type { Message } from 'kafkajs';
import type { BackoffPolicy, MessageHandler } from '../port.js';
import { matchesType } from '../port.js';
import { decideFailure } from '../failure-policy.js';
import type { ConsumedRecord } from './record-codec.js';
import { decodeHeaders, receivedMessage } from './record-codec.js';
import { msUntilDue, retryRecord } from './retry-schedule.js';
import { deadLetterRecord } from './dead-letter-record.js';

/** What became of one record: handled (commit its offset) or not yet (keep it, look again later). */
export type Outcome = { kind: 'done' } | { kind: 'wait'; ms: number };

const DONE: Outcome = { kind: 'done' };

/** How long a partition rests when Kafka did not acknowledge a retry or dead-letter copy. */
export const COPY_FAILED_PAUSE_MS = 1_000;

export interface DeliveryContext {
  group: string;
  types: readonly string[];
  retryTopic: string;
  deadLetterTopic: string;
  maxAttempts: number;
  backoff: BackoffPolicy;
  handler: MessageHandler;
  /** Resolves once Kafka has acknowledged the record on every in-sync replica (acks -1). */
  send(topic: string, record: Message): Promise<void>;
  now(): number;
}

/**
 * Handles one consumed record. Family-topic records of types the group does not want are done at
 * once (their offset is committed like any other). Retry records are the group's own, so they run
 * whatever their type, but only once their not-before time has come. A failed handler is done
 * only after its retry or dead-letter copy was acknowledged; if the copy fails, the record waits
 * and the handler runs again later (at-least-once: never lose it, maybe repeat it).
 */
export async function deliver(ctx: DeliveryContext, topic: string, record: ConsumedRecord): Promise<Outcome> {
  const fromRetryTopic = topic === ctx.retryTopic;
  const message = receivedMessage(record, ctx.group, fromRetryTopic);
  if (fromRetryTopic) {
    const wait = msUntilDue(decodeHeaders(record.headers), ctx.now());
    if (wait > 0) return { kind: 'wait', ms: wait };
  } else if (!matchesType(ctx.types, message.type)) {
    return DONE;
  }
  try {
    await ctx.handler(message);
    return DONE;
  } catch (err) {
    const decision = decideFailure(err, message.attempt, ctx.maxAttempts, ctx.backoff);
    const now = ctx.now();
    try {
      if (decision.kind === 'dead-letter') {
        await ctx.send(ctx.deadLetterTopic, deadLetterRecord(message, decision.reason, new Date(now)));
      } else {
        await ctx.send(ctx.retryTopic, retryRecord(message, decision, now));
      }
      return DONE;
    } catch {
      return { kind: 'wait', ms: COPY_FAILED_PAUSE_MS };
    }
  }
}
