import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Broker, OutgoingMessage } from '../broker/port.js';

/**
 * One registry per process. The embedded default runs every service in one process, so broker
 * metrics are registered once and carry an explicit `service` label per service; a registry per
 * service cannot work there (prom-client refuses to merge registries that share metric names, and
 * process metrics such as CPU belong to the process, not to a service). The registry's default
 * `service` label names the process and applies to default metrics; explicit labels win over it.
 */

export type ConsumeOutcome = 'ack' | 'retry' | 'defer' | 'dead_letter' | 'duplicate';

interface Instruments {
  published: Counter<'service' | 'type'>;
  consumed: Counter<'service' | 'group' | 'type' | 'outcome'>;
  deadLettered: Counter<'service' | 'group' | 'type'>;
  retried: Counter<'service' | 'group' | 'type'>;
  handlerDuration: Histogram<'service' | 'group' | 'type'>;
}

let processWide: Registry | undefined;
const instrumentsByRegistry = new WeakMap<Registry, Instruments>();

/**
 * The process registry, created on first use with default metrics. The first caller names the
 * process (its `service` default label): a single-service main.ts passes its service, the
 * embedded launcher calls this first with `trendmill`.
 */
export function processRegistry(processName = 'trendmill'): Registry {
  if (!processWide) {
    processWide = new Registry();
    processWide.setDefaultLabels({ service: processName });
    collectDefaultMetrics({ register: processWide });
  }
  return processWide;
}

function instruments(registry: Registry): Instruments {
  let found = instrumentsByRegistry.get(registry);
  if (!found) {
    const registers = [registry];
    found = {
      published: new Counter({
        name: 'trendmill_messages_published_total',
        help: 'Messages the broker accepted for publishing',
        labelNames: ['service', 'type'],
        registers,
      }),
      consumed: new Counter({
        name: 'trendmill_messages_consumed_total',
        help: 'Deliveries handled, by outcome (ack, retry, defer, dead_letter, duplicate)',
        labelNames: ['service', 'group', 'type', 'outcome'],
        registers,
      }),
      deadLettered: new Counter({
        name: 'trendmill_messages_dead_lettered_total',
        help: 'Deliveries sent to the dead-letter queue',
        labelNames: ['service', 'group', 'type'],
        registers,
      }),
      retried: new Counter({
        name: 'trendmill_messages_retried_total',
        help: 'Failed deliveries scheduled for another attempt',
        labelNames: ['service', 'group', 'type'],
        registers,
      }),
      handlerDuration: new Histogram({
        name: 'trendmill_handler_duration_seconds',
        help: 'Time spent in message handlers',
        labelNames: ['service', 'group', 'type'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
    };
    instrumentsByRegistry.set(registry, found);
  }
  return found;
}

/** Broker metrics bound to one service; cheap to create, safe to create twice. */
export interface BrokerMetrics {
  readonly service: string;
  readonly registry: Registry;
  published(type: string, count?: number): void;
  consumed(group: string, type: string, outcome: ConsumeOutcome): void;
  deadLettered(group: string, type: string): void;
  retried(group: string, type: string): void;
  handlerDuration(group: string, type: string, seconds: number): void;
}

export function createMetrics(service: string, registry: Registry = processRegistry(service)): BrokerMetrics {
  const m = instruments(registry);
  return {
    service,
    registry,
    published: (type, count = 1) => m.published.inc({ service, type }, count),
    consumed: (group, type, outcome) => m.consumed.inc({ service, group, type, outcome }),
    deadLettered: (group, type) => m.deadLettered.inc({ service, group, type }),
    retried: (group, type) => m.retried.inc({ service, group, type }),
    handlerDuration: (group, type, seconds) => m.handlerDuration.observe({ service, group, type }, seconds),
  };
}

/** A broker whose successful publishes are counted by event type; everything else passes through. */
export function countPublishes(broker: Broker, metrics: BrokerMetrics): Broker {
  const publish = async (messages: OutgoingMessage | OutgoingMessage[]): Promise<void> => {
    const list = Array.isArray(messages) ? messages : [messages];
    await broker.publish(messages);
    for (const message of list) metrics.published(message.type);
  };
  return new Proxy(broker, {
    get(target, property) {
      if (property === 'publish') return publish;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
