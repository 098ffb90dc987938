import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How an acked delivery ended, for middleware further out: a duplicate resolves like any other
 * handled message, so the idempotency middleware leaves a note instead.
 */
export interface DeliveryNote {
  duplicate: boolean;
}

const notes = new AsyncLocalStorage<DeliveryNote>();

/** Runs `fn` and returns the note left by middleware inside it; rethrows what `fn` throws. */
export async function observeDelivery(fn: () => Promise<void>): Promise<DeliveryNote> {
  const note: DeliveryNote = { duplicate: false };
  await notes.run(note, fn);
  return note;
}

export function noteDuplicate(): void {
  const note = notes.getStore();
  if (note) note.duplicate = true;
}
