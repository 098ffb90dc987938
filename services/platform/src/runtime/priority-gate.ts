/**
 * One holder at a time. Waiters marked urgent go before the others; each kind keeps its arrival
 * order. Urgent work can delay the rest only while urgent work keeps arriving (requests, which
 * end), never the other way round.
 */
export class PriorityGate {
  private held = false;
  private readonly urgent: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];

  async run<T>(urgent: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.held) await new Promise<void>((resolve) => (urgent ? this.urgent : this.waiting).push(resolve));
    else this.held = true;
    try {
      return await fn();
    } finally {
      // Handed straight to the next waiter: nobody can slip in between.
      const next = this.urgent.shift() ?? this.waiting.shift();
      if (next) next();
      else this.held = false;
    }
  }

  /** Waiters not yet let in. */
  get queued(): number {
    return this.urgent.length + this.waiting.length;
  }
}
