import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a unit of work (usually one delivered event) is about. Carried through async calls so
 * logs and outgoing events pick it up without threading it through every function.
 */
export interface TrendmillContext {
  /** Shared by every event of one causal chain (CloudEvents `correlationid` extension). */
  correlationId?: string;
  /** Id of the event being handled. */
  eventId?: string;
  /** W3C trace of the work; used when no OpenTelemetry span is active (SDK not started). */
  traceId?: string;
  spanId?: string;
  /** The traceparent this work continues, passed on unchanged when there is no SDK. */
  traceparent?: string;
  /**
   * Someone is waiting for this work (an HTTP request being answered): where work queues for a
   * shared resource (the embedded PGlite), it goes before background work. Handling an event
   * (`eventId` set) is background even when a request published that event.
   */
  interactive?: boolean;
}

const storage = new AsyncLocalStorage<TrendmillContext>();

/** The context of the current async call chain; empty outside any. */
export function currentContext(): TrendmillContext {
  return storage.getStore() ?? {};
}

/** Runs `fn` with `values` layered over the current context. */
export function runWithContext<T>(values: TrendmillContext, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return storage.run({ ...currentContext(), ...defined }, fn);
}

/** Whether the current work is a request someone waits for, not the handling of an event. */
export function isInteractive(): boolean {
  const context = currentContext();
  return context.interactive === true && context.eventId === undefined;
}
