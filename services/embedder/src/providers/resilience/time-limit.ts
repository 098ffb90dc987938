import { CallTimeoutError } from './failure.js';

/**
 * Runs `fn` with a signal that aborts after `timeoutMs` or when `callerSignal` fires, and
 * settles at that moment even if `fn` ignores its signal (some library calls do not pass it on).
 */
export async function withTimeout<R>(
  fn: (signal: AbortSignal) => Promise<R>,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  name: string,
): Promise<R> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let detach = () => {};
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(
      () => stop(new CallTimeoutError(`${name}: no answer within ${timeoutMs} ms`, timeoutMs)),
      timeoutMs,
    );
    if (!callerSignal) return;
    if (callerSignal.aborted) return stop(callerSignal.reason);
    const onAbort = () => stop(callerSignal.reason);
    callerSignal.addEventListener('abort', onAbort, { once: true });
    detach = () => callerSignal.removeEventListener('abort', onAbort);
  });
  try {
    return await Promise.race([fn(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    detach();
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
