import { expect } from 'chai';
import type { BatchControl } from './batch-loop.js';
import { consumeBatch } from './batch-loop.js';
import type { Outcome } from './delivery.js';

describe('kafka batch loop', () => {
  function control(running = () => true) {
    const log: string[] = [];
    const resumes: Array<{ ms: number; resume: () => void }> = [];
    let heartbeats = 0;
    let onHeartbeat = () => undefined as void;
    const c: BatchControl = {
      resolveOffset: (o) => void log.push(`resolve ${o}`),
      heartbeat: async () => {
        heartbeats++;
        onHeartbeat();
      },
      pause: () => {
        log.push('pause');
        return () => void log.push('resume');
      },
      isRunning: running,
      isStale: () => false,
    };
    const options = {
      keepAliveMs: 1,
      resumeLater: (resume: () => void, ms: number) => resumes.push({ ms, resume }),
    };
    return {
      c,
      log,
      resumes,
      options,
      heartbeats: () => heartbeats,
      whenHeartbeat: (fn: () => void) => (onHeartbeat = fn),
    };
  }
  const records = ['5', '6', '7'].map((offset) => ({ offset }));
  const done: Outcome = { kind: 'done' };

  it('resolves every record once it is done, in order', async () => {
    const t = control();
    const seen: string[] = [];
    await consumeBatch(records, t.c, async (r) => (seen.push(r.offset), done), t.options);
    expect(seen).to.deep.equal(['5', '6', '7']);
    expect(t.log).to.deep.equal(['resolve 5', 'resolve 6', 'resolve 7']);
  });

  it('stops at a record that must wait: nothing from it on is resolved, the partition rests until due', async () => {
    const t = control();
    const seen: string[] = [];
    await consumeBatch(
      records,
      t.c,
      async (r) => (seen.push(r.offset), r.offset === '6' ? { kind: 'wait', ms: 250 } : done),
      t.options,
    );
    expect(seen).to.deep.equal(['5', '6']);
    expect(t.log).to.deep.equal(['resolve 5', 'pause']);
    expect(t.resumes.map((r) => r.ms)).to.deep.equal([250]);
    t.resumes[0]!.resume();
    expect(t.log.at(-1)).to.equal('resume');
  });

  it('takes no new record once the consumer stops', async () => {
    let running = true;
    const t = control(() => running);
    const seen: string[] = [];
    await consumeBatch(
      records,
      t.c,
      async (r) => {
        seen.push(r.offset);
        running = false;
        return done;
      },
      t.options,
    );
    expect(seen).to.deep.equal(['5']);
    expect(t.log).to.deep.equal(['resolve 5']);
  });

  it('keeps heartbeating while a slow handler runs', async () => {
    const t = control();
    // The handler finishes only once a heartbeat was sent while it ran; without one it would hang.
    await consumeBatch(
      [{ offset: '1' }],
      t.c,
      () => new Promise<Outcome>((resolve) => t.whenHeartbeat(() => resolve(done))),
      t.options,
    );
    expect(t.heartbeats()).to.be.greaterThan(0);
    expect(t.log).to.deep.equal(['resolve 1']);
  });
});
