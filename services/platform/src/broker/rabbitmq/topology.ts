/**
 * Names and arguments of everything the RabbitMQ adapter declares, in one place so operators
 * (and the k8s KEDA triggers) can find the queues: `<prefix>.<group>` is a group's work queue,
 * `<prefix>.<group>.retry.<ms>` its delay queues, `<prefix>.<group>.dlq` its dead letters.
 */
export interface TopologyNames {
  exchange: string;
  queue(group: string): string;
  retryQueue(group: string, delayMs: number): string;
  deadLetterQueue(group: string): string;
}

export function topologyNames(prefix: string): TopologyNames {
  return {
    exchange: `${prefix}.events`,
    queue: (group) => `${prefix}.${group}`,
    retryQueue: (group, delayMs) => `${prefix}.${group}.retry.${delayMs}`,
    deadLetterQueue: (group) => `${prefix}.${group}.dlq`,
  };
}

/** How many times RabbitMQ itself redelivers an unacked message (consumer crashes) before dead-lettering it. */
export const CRASH_DELIVERY_LIMIT = 20;

export function workQueueArgs(dlq: string): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    // A message whose consumer keeps dying mid-handler never reaches our retry code; the quorum
    // queue's own delivery limit sends it to the DLQ instead of looping forever.
    'x-delivery-limit': CRASH_DELIVERY_LIMIT,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': dlq,
  };
}

export function retryQueueArgs(delayMs: number, workQueue: string): Record<string, unknown> {
  // A TTL queue with no consumers: messages wait out the delay, then dead-letter back to work.
  return {
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': workQueue,
  };
}

export const DEAD_LETTER_QUEUE_ARGS = { 'x-queue-type': 'quorum' } as const;

/**
 * Delays are rounded up to a fixed ladder so each group has a bounded number of delay queues
 * (one TTL per queue keeps RabbitMQ's head-of-queue expiry exact).
 */
export const DELAY_LADDER_MS = [
  50, 100, 250, 500, 1_000, 2_500, 5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
];

export function delayLevel(delayMs: number): number {
  return DELAY_LADDER_MS.find((d) => d >= delayMs) ?? DELAY_LADDER_MS[DELAY_LADDER_MS.length - 1]!;
}
