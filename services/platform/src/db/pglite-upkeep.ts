import type { PgliteHandle } from './pglite-thread.js';

/** Background work on a PGlite instance that a server's own processes would do (see its users). */
export interface Upkeep<T> {
  /** Runs now (joins a run in progress); resolves to what it did. */
  check(): Promise<T>;
  /** Stops the timer; a run in progress sees `stopped()` turn true. Call before closing. */
  stop(): void;
}

export interface UpkeepOptions {
  everyMs?: number;
  /** A run failed while the instance was open (default: a process warning naming the work). */
  onError?: (error: unknown) => void;
}

/**
 * Runs `work` every `options.everyMs` (else `defaultEveryMs`) while the instance is open, one run
 * at a time: a timer tick or a `check()` during a run joins it. A failure while the instance is
 * open goes to `onError` (by default a warning that PGlite's `name` failed); after `stop()` or
 * close it is expected and dropped. The timer does not keep the process alive.
 */
export function keepDoing<T>(
  pglite: PgliteHandle,
  name: string,
  work: (stopped: () => boolean) => Promise<T>,
  defaultEveryMs: number,
  options: UpkeepOptions,
): Upkeep<T> {
  const onError =
    options.onError ??
    ((error: unknown) => process.emitWarning(`PGlite ${name} failed: ${String(error)}`, 'TrendmillWarning'));
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
  }, options.everyMs ?? defaultEveryMs);
  timer.unref();
  return {
    check,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
