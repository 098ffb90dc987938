/**
 * Cooperative time slicing for work that shares its event loop with an HTTP server (every service
 * of the embedded default runs in one process).
 *
 * Promise chains that never wait on real I/O (PGlite is WASM running in this thread, the in-memory
 * broker, the local embedder) continue as microtasks, and Node runs no socket or timer callback
 * until the microtask queue is empty: a backlog would hold the loop for seconds. Long work runs in
 * steps and asks its `TimeSlice` between steps; once the work has run for its slice, it waits for
 * the next turn of the loop (setImmediate, after pending I/O callbacks), so requests are served
 * between slices while the backlog still gets nearly all of the time.
 *
 * Each piece of work counts its own time: a global slice would let whoever resumes first use it
 * up and leave the others one step per turn (a word-vector scan took half a minute that way).
 */

/** How long a piece of work runs before it lets the loop take a turn. */
export const SLICE_MS = 10;

let turn: Promise<void> | undefined;

/**
 * Resolves on the next turn of the event loop. Every caller waiting meanwhile shares that turn:
 * they resume together, one after the other, in the order they asked.
 */
export function nextTurn(): Promise<void> {
  turn ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      turn = undefined;
      resolve();
    }),
  );
  return turn;
}

/** One piece of work's running time since it last let the loop take a turn. */
export class TimeSlice {
  private startedAt = performance.now();

  constructor(readonly sliceMs = SLICE_MS) {}

  get usedUp(): boolean {
    return performance.now() - this.startedAt >= this.sliceMs;
  }

  /**
   * Undefined while the slice lasts: the caller goes on at once (hot paths test the result before
   * awaiting it). Once it is used up, the next turn of the loop, where a new slice starts. The
   * first call after the work sat idle yields once, as the slice counts from the last turn.
   */
  yieldIfDue(): Promise<void> | undefined {
    if (!this.usedUp) return undefined;
    return nextTurn().then(() => {
      this.startedAt = performance.now();
    });
  }
}
