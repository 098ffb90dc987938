import { expect } from 'chai';
import { PriorityGate } from './priority-gate.js';

describe('PriorityGate', () => {
  const later = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('lets one holder in at a time, the others in arrival order', async () => {
    const gate = new PriorityGate();
    const log: string[] = [];
    let inside = 0;
    const work = (name: string) =>
      gate.run(false, async () => {
        inside++;
        expect(inside).to.equal(1);
        log.push(`${name} in`);
        await later();
        log.push(`${name} out`);
        inside--;
      });
    await Promise.all([work('a'), work('b'), work('c')]);
    expect(log).to.deep.equal(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('lets urgent waiters in before earlier ordinary ones', async () => {
    const gate = new PriorityGate();
    const order: string[] = [];
    const work = (name: string, urgent: boolean) =>
      gate.run(urgent, async () => {
        order.push(name);
        await later();
      });
    const all = [work('holder', false), work('background 1', false), work('background 2', false)];
    expect(gate.queued).to.equal(2);
    all.push(work('request 1', true), work('request 2', true));
    await Promise.all(all);
    expect(order).to.deep.equal(['holder', 'request 1', 'request 2', 'background 1', 'background 2']);
  });

  it('passes the result and the failure of the work on, and lets the next one in either way', async () => {
    const gate = new PriorityGate();
    const failing = gate.run(false, async () => {
      throw new Error('boom');
    });
    const next = gate.run(false, async () => 42);
    const error = await failing.then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).to.equal('boom');
    expect(await next).to.equal(42);
    expect(gate.queued).to.equal(0);
  });
});
