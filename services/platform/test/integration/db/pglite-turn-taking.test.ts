import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { runWithContext } from '../../../src/runtime/context.js';

/** A statement that keeps PGlite (WASM, in this thread) busy for a few milliseconds. */
const WORK = 'SELECT count(*)::int AS n FROM generate_series(1, 100000)';

describe('the shared PGlite takes turns with the event loop and with requests', function () {
  this.timeout(60_000);
  let db: Database;

  before(async () => {
    db = await openDatabase({ url: `pglite://memory/turns-${randomUUID()}`, schema: 'turns' });
  });
  after(() => db?.close());

  it('lets timers run while a backlog of transactions works through it', async () => {
    let ticks = 0;
    let finished = 0;
    const timer = setInterval(() => {
      if (finished < 40) ticks++;
    }, 1);
    try {
      // Statements resolve without I/O: on its own, the whole backlog would run as one long stretch
      // of microtasks, and the timer would not fire until it was done.
      await Promise.all(
        Array.from({ length: 40 }, () =>
          db.sql.transaction(async (tx) => {
            await tx.query(WORK);
            await tx.query(WORK);
            finished++;
          }),
        ),
      );
    } finally {
      clearInterval(timer);
    }
    expect(ticks).to.be.greaterThan(5);
  });

  it('runs a request’s statement before background work queued ahead of it', async () => {
    const order: string[] = [];
    const background = Array.from({ length: 10 }, (_, i) =>
      db.sql.transaction(async (tx) => {
        await tx.query(WORK);
        order.push(`background ${i}`);
      }),
    );
    const request = runWithContext({ interactive: true }, () =>
      db.sql.query(WORK).then(() => order.push('request')),
    );
    // Handling an event stays background, even inside a request's context.
    const handler = runWithContext({ interactive: true, eventId: 'e1' }, () =>
      db.sql.query(WORK).then(() => order.push('event handler')),
    );
    await Promise.all([...background, request, handler]);
    expect(order.indexOf('request'), order.join(', ')).to.be.at.most(1);
    expect(order.at(-1)).to.equal('event handler');
  });
});
