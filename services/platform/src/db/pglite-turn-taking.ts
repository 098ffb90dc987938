import type { PGlite } from '@electric-sql/pglite';
import { isInteractive } from '../runtime/context.js';
import { TimeSlice } from '../runtime/event-loop-slice.js';
import { PriorityGate } from '../runtime/priority-gate.js';

/**
 * The database's share of each turn of the event loop. Every statement runs while the database is
 * held (a transaction, or the statement alone), during which every other statement waits: a
 * shorter slice would stretch each hold over more turns.
 */
export const DATABASE_SLICE_MS = 40;

/**
 * Makes the services sharing one in-process PGlite take turns with each other and with the event
 * loop. PGlite runs each statement synchronously in this thread and resolves without any I/O, so
 * on its own a backlog of handlers (a transaction each) holds the loop until it is done, and a
 * request's statement queues behind every transaction waiting before it.
 *
 * PGlite passes all its work through two methods of its public class (the Prisma adapter's too):
 * `_runExclusiveTransaction` (one transaction, or one statement outside any, at a time) and
 * `_runExclusiveQuery` (each statement). Wrapped here:
 * - the transaction turn goes through a priority gate: requests someone waits for (an HTTP
 *   request, see `isInteractive`) go before background work (event handlers, relays, imports);
 * - before each statement, the loop gets a turn once the database has used its slice up.
 */
export function takeTurns(pglite: PGlite): PGlite {
  const runTransaction = pglite._runExclusiveTransaction.bind(pglite);
  const runStatement = pglite._runExclusiveQuery.bind(pglite);
  const gate = new PriorityGate();
  const slice = new TimeSlice(DATABASE_SLICE_MS);

  pglite._runExclusiveTransaction = <T>(fn: () => Promise<T>): Promise<T> =>
    gate.run(isInteractive(), () => runTransaction(fn));

  pglite._runExclusiveQuery = <T>(fn: () => Promise<T>): Promise<T> => {
    const turn = slice.yieldIfDue();
    return turn ? turn.then(() => runStatement(fn)) : runStatement(fn);
  };
  return pglite;
}
