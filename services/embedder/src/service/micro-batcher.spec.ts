import { expect } from 'chai';
import { MicroBatcher, type Settled } from './micro-batcher.js';

const ok = <R>(value: R): Settled<R> => ({ ok: true, value });

describe('MicroBatcher', () => {
  it('runs a full batch at once and a partial one after the wait', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        batches.push(xs);
        return xs.map((x) => ok(x * 10));
      },
      { maxSize: 3, maxWaitMs: 30 },
    );
    const started = Date.now();
    const results = await Promise.all([1, 2, 3, 4].map((x) => b.add(x)));
    expect(results).to.deep.equal([10, 20, 30, 40]);
    expect(batches).to.deep.equal([[1, 2, 3], [4]]);
    expect(Date.now() - started).to.be.at.least(25);
  });

  it('settles each caller with its own outcome, and everyone with a thrown batch error', async () => {
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        if (xs.includes(99)) throw new Error('whole batch failed');
        return xs.map((x) => (x % 2 ? ok(x) : { ok: false as const, error: new Error(`even ${x}`) }));
      },
      { maxSize: 2, maxWaitMs: 5 },
    );
    const settled = await Promise.allSettled([b.add(1), b.add(2), b.add(99), b.add(3)]);
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'rejected', 'rejected', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason.message).to.equal('even 2');
    expect((settled[3] as PromiseRejectedResult).reason.message).to.equal('whole batch failed');
  });

  it('runs one batch at a time, in order', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const b = new MicroBatcher<number, void>(
      async (xs) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 10));
        order.push(...xs);
        running--;
        return xs.map(() => ok(undefined));
      },
      { maxSize: 2, maxWaitMs: 1 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((x) => b.add(x)));
    expect(most).to.equal(1);
    expect(order).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('drains on close and refuses later items', async () => {
    const seen: number[] = [];
    const b = new MicroBatcher<number, void>(
      async (xs) => {
        seen.push(...xs);
        return xs.map(() => ok(undefined));
      },
      { maxSize: 10, maxWaitMs: 10_000 },
    );
    const pending = b.add(7);
    await b.close();
    await pending;
    expect(seen).to.deep.equal([7]);
    await b.add(8).then(
      () => expect.fail('add after close must fail'),
      (err: Error) => expect(err.message).to.match(/closed/),
    );
  });
});
