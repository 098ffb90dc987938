import type { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { keepDoing } from './pglite-upkeep.js';

const open = () => ({ closed: false }) as unknown as PGlite;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keepDoing: periodic upkeep of a PGlite instance', () => {
  it('a check during a run joins it instead of starting another', async () => {
    let runs = 0;
    let release!: () => void;
    const upkeep = keepDoing(
      open(),
      'test',
      async () => {
        runs++;
        await new Promise<void>((resolve) => (release = resolve));
        return runs;
      },
      3_600_000,
      { onError: () => {} },
    );
    try {
      const first = upkeep.check();
      const second = upkeep.check();
      release();
      expect(await first).to.equal(1);
      expect(await second).to.equal(1);
      expect(runs).to.equal(1);
    } finally {
      upkeep.stop();
    }
  });

  it('reports a failure while the instance is open, and neither runs nor reports after stop', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const upkeep = keepDoing(
      open(),
      'test',
      async (stopped) => {
        runs++;
        expect(stopped()).to.equal(false);
        throw new Error('disk full');
      },
      3_600_000,
      { everyMs: 10, onError: (error) => errors.push(error) },
    );
    await sleep(60);
    upkeep.stop();
    expect(errors.length).to.be.at.least(1);
    expect(String(errors[0])).to.contain('disk full');
    const after = runs;
    await sleep(50);
    expect(runs).to.equal(after);
  });

  it('tells a run in progress that it was stopped', async () => {
    let seen: boolean | undefined;
    let release!: () => void;
    const upkeep = keepDoing(
      open(),
      'test',
      async (stopped) => {
        await new Promise<void>((resolve) => (release = resolve));
        seen = stopped();
      },
      3_600_000,
      { onError: () => {} },
    );
    const run = upkeep.check();
    upkeep.stop();
    release();
    await run;
    expect(seen).to.equal(true);
  });
});
