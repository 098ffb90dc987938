import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import {
  toThreadError,
  type ThreadAnswer,
  type ThreadInit,
  type ThreadReady,
  type ThreadRequest,
} from './pglite-thread-protocol.js';
import { createPglite } from './pglite-template.js';

/**
 * The thread that runs PGlite for `PgliteThread`. PGlite itself serialises the work: a statement
 * sent outside a running transaction waits until it ends, as it would in the caller's thread.
 */
const port = parentPort!;
const { dataDir, template } = workerData as ThreadInit;
// `made`: initdb ran here; its cluster goes back with `ready`, the template for the next ones.
const { db, made } =
  dataDir === undefined ? { db: await PGlite.create() } : await createPglite(dataDir, template);

interface OpenTransaction {
  tx: Transaction;
  /** Settles the transaction's callback: resolve commits (unless rolled back), reject rolls back. */
  finish: (ok: boolean) => void;
  settled: Promise<void>;
  rollingBack?: Promise<void>;
}
const transactions = new Map<number, OpenTransaction>();
let nextTx = 0;

const answer = (message: ThreadAnswer) => port.postMessage(message);

/** Columns of these types come back as PostgreSQL's text: the caller parses them (its parsers are functions). */
const textParsers = (types: readonly number[] | undefined) =>
  types && types.length > 0 ? Object.fromEntries(types.map((t) => [t, (text: string) => text])) : undefined;

function target(tx: number | undefined): Pick<Transaction, 'query' | 'exec'> {
  if (tx === undefined) return db;
  const open = transactions.get(tx);
  if (!open) throw new Error('Transaction is closed');
  return open.tx;
}

function begin(): Promise<number> {
  return new Promise((resolveBegin, rejectBegin) => {
    const tx = ++nextTx;
    let began = false;
    const settled = db
      .transaction(
        (handle) =>
          new Promise<void>((resolve, reject) => {
            began = true;
            transactions.set(tx, {
              tx: handle,
              finish: (ok) => (ok ? resolve() : reject(new Error('rolled back by the caller'))),
              settled,
            });
            resolveBegin(tx);
          }),
      )
      .finally(() => transactions.delete(tx));
    settled.catch((error: unknown) => {
      if (!began) rejectBegin(error);
    });
  });
}

async function end(tx: number, ok: boolean): Promise<void> {
  const open = transactions.get(tx);
  if (!open) throw new Error('Transaction is closed');
  // A rollback asked for just before must be done before the callback returns (else it commits).
  await open.rollingBack?.catch(() => undefined);
  open.finish(ok);
  try {
    await open.settled;
  } catch (error) {
    if (ok) throw error;
  }
}

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const parsers = textParsers(request.rawTypes);
      return target(request.tx).query(request.sql, request.params, {
        ...(request.rowMode ? { rowMode: request.rowMode } : {}),
        ...(parsers ? { parsers } : {}),
      });
    }
    case 'exec':
      return target(request.tx).exec(request.sql);
    case 'begin':
      return begin();
    case 'rollback': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error('Transaction is closed');
      open.rollingBack = open.tx.rollback();
      return open.rollingBack;
    }
    case 'end':
      return end(request.tx, request.ok);
    case 'close':
      await db.close();
      return undefined;
  }
}

port.on('message', (request: ThreadRequest) => {
  handle(request).then(
    (value) => answer({ id: request.id, ok: true, value }),
    (error: unknown) => answer({ id: request.id, ok: false, error: toThreadError(error) }),
  );
});
const ready: ThreadReady = made ? { ready: true, template: made } : { ready: true };
port.postMessage(ready, made ? [made.buffer] : []);
