/** Thrown by a handler for a message that can never succeed: it is dead-lettered at once. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
  constructor(
    message: string,
    readonly code = 'permanent_failure',
  ) {
    super(message);
  }
}

/** Thrown by a handler to have the message redelivered later without spending an attempt. */
export class DeferDelivery extends Error {
  override readonly name = 'DeferDelivery';
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

/** What a failed delivery turns into; shared by every adapter so they decide alike. */
export type FailureDecision =
  | { kind: 'retry'; delayMs: number; nextAttempt: number; reason: string }
  | { kind: 'defer'; delayMs: number; attempt: number; reason: string }
  | { kind: 'dead-letter'; reason: string };

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
