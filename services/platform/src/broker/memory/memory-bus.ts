import type { DeadLetter, MessageHandler, ReceivedMessage } from '../port.js';
import { matchesType } from '../port.js';

export interface QueuedMessage extends ReceivedMessage {
  /** Set while a subscriber works on it, so the dispatcher does not hand it out twice. */
  inFlight?: boolean;
}

export interface MemoryConsumer {
  handler: MessageHandler;
  prefetch: number;
  inFlight: number;
  closed: boolean;
  idle: Array<() => void>;
  deliver(message: QueuedMessage): void;
}

/** A group's queue: bound patterns, waiting messages, competing consumers, dead letters. */
export class MemoryQueue {
  readonly patterns = new Set<string>();
  readonly waiting: QueuedMessage[] = [];
  readonly consumers: MemoryConsumer[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private cursor = 0;

  constructor(readonly group: string) {}

  redeliverLater(message: QueuedMessage, delayMs: number): void {
    // unref: a retry waiting in an idle process must not keep it alive on its own.
    setTimeout(() => {
      this.waiting.push(message);
      this.dispatch();
    }, delayMs).unref();
  }

  accepts(type: string): boolean {
    return matchesType([...this.patterns], type);
  }

  /** Hands waiting messages to consumers with spare capacity, round-robin so replicas compete fairly. */
  dispatch(): void {
    while (this.waiting.length > 0) {
      const consumer = this.nextConsumerWithCapacity();
      if (!consumer) return;
      const message = this.waiting.shift()!;
      consumer.deliver(message);
    }
  }

  private nextConsumerWithCapacity(): MemoryConsumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const c = this.consumers[(this.cursor + i) % n]!;
      if (!c.closed && c.inFlight < c.prefetch) {
        this.cursor = (this.cursor + i + 1) % n;
        return c;
      }
    }
    return undefined;
  }
}

/** An in-process exchange shared by every broker client opened on the same `memory://name`. */
export class MemoryBus {
  readonly queues = new Map<string, MemoryQueue>();

  queue(group: string): MemoryQueue {
    let q = this.queues.get(group);
    if (!q) {
      q = new MemoryQueue(group);
      this.queues.set(group, q);
    }
    return q;
  }

  route(message: Omit<ReceivedMessage, 'group' | 'attempt'>): void {
    for (const q of this.queues.values()) {
      if (!q.accepts(message.type)) continue;
      q.waiting.push({ ...message, body: Buffer.from(message.body), group: q.group, attempt: 1 });
      q.dispatch();
    }
  }
}

const buses = new Map<string, MemoryBus>();

/** The bus named by a `memory://name` URL; `memory://` is the process-wide default bus. */
export function busFor(name: string): MemoryBus {
  let bus = buses.get(name);
  if (!bus) {
    bus = new MemoryBus();
    buses.set(name, bus);
  }
  return bus;
}
