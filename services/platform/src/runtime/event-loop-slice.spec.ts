import { expect } from 'chai';
import { nextTurn, SLICE_MS, TimeSlice } from './event-loop-slice.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('event-loop slices', () => {
  it('goes on without waiting while the slice lasts, then waits for the next turn of the loop', async () => {
    const slice = new TimeSlice();
    expect(slice.yieldIfDue(), 'fresh slice').to.equal(undefined);
    busy(SLICE_MS + 1);
    expect(slice.usedUp).to.equal(true);
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    await slice.yieldIfDue();
    expect(immediateRan, 'other callbacks ran in between').to.equal(true);
    expect(slice.usedUp, 'a new slice started').to.equal(false);
  });

  it('counts each piece of work’s own time: one that resumes after others still gets its slice', async () => {
    const hog = new TimeSlice();
    const small = new TimeSlice();
    busy(SLICE_MS + 1);
    await Promise.all([hog.yieldIfDue(), small.yieldIfDue()]);
    busy(SLICE_MS / 2); // the hog's work in the new turn
    expect(small.usedUp, 'the other one still has its slice').to.equal(false);
  });

  it('gives everyone waiting the same turn', async () => {
    const waits = [nextTurn(), nextTurn(), nextTurn()];
    expect(new Set(waits).size).to.equal(1);
    await Promise.all(waits);
    expect(nextTurn()).to.not.equal(waits[0]);
  });

  it('lets a timer fire during a long chain of microtask-only work that yields when due', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const slice = new TimeSlice();
    try {
      // 40 steps of 2 ms that never touch I/O: without yielding, the timer could not fire at all.
      for (let step = 0; step < 40; step++) {
        busy(2);
        await Promise.resolve();
        await slice.yieldIfDue();
      }
    } finally {
      clearInterval(timer);
    }
    expect(ticks).to.be.greaterThan(2);
  });
});
