import { stopTracing } from './tracing.js';

/** The logging a lifecycle needs; a winston Logger fits. */
export interface LifecycleLogger {
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

/** The slice of `process` a lifecycle uses, replaceable in tests. */
export interface ProcessHost {
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  exit(code: number): void;
}

export interface RunServiceOptions {
  name: string;
  start(): Promise<void>;
  /** Stops taking work and finishes what is in flight (subscriptions close, outbox relays drain). */
  stop(): Promise<void>;
  logger: LifecycleLogger;
  /** Hard limit on stop(); below Kubernetes' default 30 s grace period so we exit before SIGKILL. */
  shutdownTimeoutMs?: number;
  host?: ProcessHost;
}

export interface RunningService {
  /** Same as receiving SIGTERM: graceful stop, then exit. */
  shutdown(reason: string): Promise<void>;
}

const SIGNAL_EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs a service for main.ts: start, then on the first SIGTERM/SIGINT stop gracefully within a
 * hard timeout and exit 0; a second signal exits at once; a failed start, failed stop or uncaught
 * error exits non-zero. Unacked messages of a killed process are redelivered, so exiting is safe.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { name, logger } = options;
  const host = options.host ?? process;
  const timeoutMs = options.shutdownTimeoutMs ?? 25_000;
  let stopping: Promise<void> | undefined;
  let exited = false;
  // Deferred a tick so the signal and crash handlers below are in place before start() runs.
  const started = Promise.resolve().then(() => options.start());

  const exit = async (code: number): Promise<void> => {
    if (exited) return;
    exited = true;
    await flush(logger);
    host.exit(code);
  };

  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info(`${name} shutting down`, { reason });
      // A start that fails is cleaned up and exited (code 1) by its own path below.
      if (
        !(await started.then(
          () => true,
          () => false,
        ))
      )
        return;
      const outcome = await withTimeout(() => options.stop(), timeoutMs);
      await stopTracing().catch(() => undefined);
      if (outcome.timedOut) {
        logger.error(`${name} did not stop within ${timeoutMs} ms; exiting anyway`);
        return exit(1);
      }
      if ('error' in outcome) {
        logger.error(`${name} failed to stop cleanly`, { err: outcome.error });
        return exit(1);
      }
      logger.info(`${name} stopped`);
      return exit(0);
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${name} received ${signal} again; forcing exit`);
      exited = true;
      host.exit(SIGNAL_EXIT_CODE[signal] ?? 1);
      return;
    }
    void shutdown(signal);
  };
  const onFatal = (kind: string) => (err: unknown) => {
    // The first crash is being reported and its exit is under way (the logger may be closing): a
    // second one logged now would be written after the end, crash the handler and change the code.
    if (exited) return;
    logger.error(`${name} crashed: ${kind}`, { err });
    void exit(1);
  };
  host.on('SIGTERM', onSignal);
  host.on('SIGINT', onSignal);
  host.on('uncaughtException', onFatal('uncaught exception'));
  host.on('unhandledRejection', onFatal('unhandled rejection'));

  try {
    await started;
    logger.info(`${name} started`);
  } catch (err) {
    logger.error(`${name} failed to start`, { err });
    // Release whatever did start (connections, servers) so the exit is not held up.
    await withTimeout(() => options.stop(), timeoutMs);
    await exit(1);
  }
  return { shutdown };
}

type Outcome = { timedOut: true } | { timedOut: false } | { timedOut: false; error: unknown };

async function withTimeout(work: () => Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  const done = Promise.resolve()
    .then(work)
    .then(
      (): Outcome => ({ timedOut: false }),
      (error: unknown): Outcome => ({ timedOut: false, error }),
    );
  try {
    return await Promise.race([done, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets a winston logger write its last lines before the process exits. */
async function flush(logger: LifecycleLogger): Promise<void> {
  const stream = logger as Partial<{ end(): void; once(event: string, fn: () => void): void }>;
  if (typeof stream.end !== 'function' || typeof stream.once !== 'function') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    stream.once?.('finish', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.end?.();
  });
}
