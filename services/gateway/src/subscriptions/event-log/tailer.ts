import type { Logger } from '@trendmill/platform';
import type { EventLogEntry, EventLogStore } from './event-log-store.js';

export type AppendListener = (entries: readonly EventLogEntry[]) => void;

/**
 * Follows the shared log from a position and hands every new entry, in seq order and exactly
 * once, to the listeners. Whichever replica consumed an event, every replica's tailer sees it,
 * which is what lets an SSE client on any replica get everything.
 */
export class LogTailer {
  private readonly listeners = new Set<AppendListener>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventLogStore,
    private position: number,
    private readonly options: { pollIntervalMs: number; batch: number; logger: Logger },
  ) {}

  /** The last seq handed to listeners. */
  get head(): number {
    return this.position;
  }

  start(): void {
    this.schedule();
  }

  onAppend(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Reads what is new now (coalescing calls made while a read runs into one more read). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.wake();
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.listeners.clear();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const entries = await this.store.read(this.position, [], this.options.batch);
        if (entries.length === 0) return;
        this.position = entries[entries.length - 1]!.seq;
        for (const listener of [...this.listeners]) {
          try {
            listener(entries);
          } catch (error) {
            this.options.logger.error('event log listener failed', { error: String(error) });
          }
        }
        if (entries.length < this.options.batch) return;
      }
    } catch (error) {
      this.options.logger.warn('event log tail read failed; retrying on the next poll', {
        error: String(error),
      });
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.wake().finally(() => this.schedule());
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }
}
