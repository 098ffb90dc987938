/**
 * Claims due sources and polls them, at most `concurrency` at a time. It looks every `tickMs`,
 * and at once when woken (a source was created or resumed) or when a poll finishes and there may
 * be more due work.
 */
export interface SchedulerOptions<S> {
  concurrency: number;
  tickMs: number;
  claim: (limit: number) => Promise<S[]>;
  poll: (source: S) => Promise<void>;
  onError: (err: unknown) => void;
}

export class Scheduler<S> {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking: Promise<void> | undefined;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: SchedulerOptions<S>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  wake(): void {
    if (!this.running) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  /** Stops claiming and waits for the polls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        if (!this.running) return;
        const wanted = this.again;
        this.again = false;
        this.schedule(wanted ? 0 : this.options.tickMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    if (!this.running || free <= 0) return;
    let claimed: S[];
    try {
      claimed = await this.options.claim(free);
    } catch (err) {
      this.options.onError(err);
      return;
    }
    for (const source of claimed) {
      const run: Promise<void> = this.options
        .poll(source)
        .catch((err) => {
          if (this.running) this.options.onError(err);
        })
        .finally(() => {
          this.inFlight.delete(run);
          this.wake();
        });
      this.inFlight.add(run);
    }
    if (claimed.length === free) this.again = true;
  }
}
