import type { PGlite } from '@electric-sql/pglite';

/** Background work on a PGlite instance that a server's own processes would do (see its users). */
export interface Upkeep<T> {
  /** Runs now (joins a run in progress); resolves to what it did. */
  check(): Promise<T>;
  /** Stops the timer; a run in progress sees `stopped()` turn true. Call before closing. */
  stop(): void;
}

/**
 * Runs `work` every `everyMs` while the instance is open, one run at a time: a timer tick or a
 * `check()` during a run joins it. A failure while the instance is open goes to `onError`; after
 * `stop()` or close it is expected and dropped. The timer does not keep the process alive.
 */
export function keepDoing<T>(
  pglite: PGlite,
  work: (stopped: () => boolean) => Promise<T>,
  everyMs: number,
  onError: (error: unknown) => void,
): Upkeep<T> {
  let running: Promise<T> | undefined;
  let stopped = false;
  const isStopped = () => stopped || pglite.closed;
  const check = (): Promise<T> => {
    running ??= work(isStopped).finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    if (isStopped()) return;
    check().catch((error: unknown) => {
      if (!isStopped()) onError(error);
    });
  }, everyMs);
  timer.unref();
  return {
    check,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
