import { expect } from 'chai';
import fc from 'fast-check';
import {
  DEFAULT_SCHEDULE_POLICY,
  intervalBounds,
  nextSchedule,
  type NextSchedule,
  type PollOutcome,
  type SchedulePolicy,
  type ScheduleState,
} from './policy.js';

const T0 = new Date('2024-05-01T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
/** random() = 0.5 puts the delay exactly in the middle of the jitter band. */
const middle = () => 0.5;

function state(overrides: Partial<ScheduleState> = {}): ScheduleState {
  return {
    intervalSeconds: 900,
    effectiveIntervalSeconds: 900,
    jitter: 0,
    lastChangeAt: null,
    consecutiveFailures: 0,
    ...overrides,
  };
}

/** Seconds from the poll to the next one. */
const waitOf = (next: NextSchedule, outcome: PollOutcome) =>
  (next.nextPollAt.getTime() - outcome.at.getTime()) / 1000;

/** Feeds each result back in as the next state, as the scheduler does. */
function run(start: ScheduleState, outcomes: PollOutcome[], policy?: SchedulePolicy): NextSchedule[] {
  let current = start;
  return outcomes.map((outcome) => {
    const next = nextSchedule(current, outcome, middle, policy);
    current = {
      ...current,
      effectiveIntervalSeconds: next.effectiveIntervalSeconds,
      lastChangeAt: next.lastChangeAt,
      consecutiveFailures: next.consecutiveFailures,
    };
    return next;
  });
}

describe('intervalBounds', () => {
  it('is [interval / 4, interval * 8] for intervals well inside the policy', () => {
    expect(intervalBounds(900)).to.deep.equal({ min: 225, max: 7200 });
    expect(intervalBounds(3600)).to.deep.equal({ min: 900, max: 28_800 });
  });

  it('never goes below the policy minimum nor above its maximum', () => {
    expect(intervalBounds(60)).to.deep.equal({ min: 60, max: 480 });
    expect(intervalBounds(6 * 3600)).to.deep.equal({ min: 5400, max: 24 * 3600 });
    const strict = { ...DEFAULT_SCHEDULE_POLICY, minIntervalSeconds: 600 };
    expect(intervalBounds(120, strict)).to.deep.equal({ min: 600, max: 960 });
  });

  it('keeps min <= max for any interval and policy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 * 24 * 3600 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 30 * 24 * 3600 }),
        (interval, minIntervalSeconds, maxIntervalSeconds) => {
          const policy = { minIntervalSeconds, maxIntervalSeconds, maxBackoffSeconds: 6 * 3600 };
          const { min, max } = intervalBounds(interval, policy);
          expect(min).to.be.at.least(minIntervalSeconds);
          expect(min).to.be.at.least(Math.floor(interval / 4));
          expect(max).to.be.at.least(min);
        },
      ),
    );
  });
});

describe('nextSchedule', () => {
  describe('jitter', () => {
    const outcome: PollOutcome = { kind: 'unchanged', at: at(60) };
    const base = state({ jitter: 0.2, lastChangeAt: T0 });

    it('spreads the delay by ±jitter: random() 0 is the low edge, 0.5 the middle, ~1 the high edge', () => {
      expect(
        waitOf(
          nextSchedule(base, outcome, () => 0),
          outcome,
        ),
      ).to.equal(720);
      expect(
        waitOf(
          nextSchedule(base, outcome, () => 0.5),
          outcome,
        ),
      ).to.equal(900);
      expect(
        waitOf(
          nextSchedule(base, outcome, () => 0.999999),
          outcome,
        ),
      ).to.be.closeTo(1080, 0.001);
    });

    it('reports the delay before jitter', () => {
      expect(nextSchedule(base, outcome, () => 0).delaySeconds).to.equal(900);
      expect(nextSchedule(base, outcome, () => 0.99).delaySeconds).to.equal(900);
    });

    it('clamps a stored jitter to [0, 0.5]', () => {
      const wild = state({ jitter: 3, lastChangeAt: T0 });
      expect(
        waitOf(
          nextSchedule(wild, outcome, () => 0),
          outcome,
        ),
      ).to.equal(450);
      const negative = state({ jitter: -1, lastChangeAt: T0 });
      expect(
        waitOf(
          nextSchedule(negative, outcome, () => 0),
          outcome,
        ),
      ).to.equal(900);
      expect(
        waitOf(
          nextSchedule(negative, outcome, () => 0.99),
          outcome,
        ),
      ).to.equal(900);
    });

    it('stays within its band for any jitter and random()', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 0.5, noNaN: true }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fc.constantFrom<PollOutcome['kind']>('changed', 'unchanged', 'failed'),
          (jitter, r, kind) => {
            const o: PollOutcome = { kind, at: at(600) };
            const next = nextSchedule(state({ jitter, lastChangeAt: T0 }), o, () => r);
            const wait = waitOf(next, o);
            expect(wait).to.be.at.least(next.delaySeconds * (1 - jitter) - 0.001);
            expect(wait).to.be.at.most(next.delaySeconds * (1 + jitter) + 0.001);
          },
        ),
      );
    });
  });

  describe('failures', () => {
    const failed = (seconds: number, retryAfterSeconds?: number): PollOutcome => ({
      kind: 'failed',
      at: at(seconds),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });

    it('back off exponentially from the effective interval, doubling per consecutive failure, capped at 6h', () => {
      const results = run(
        state(),
        Array.from({ length: 9 }, (_, i) => failed(i)),
      );
      expect(results.map((r) => r.delaySeconds)).to.deep.equal([
        900, 1800, 3600, 7200, 14_400, 21_600, 21_600, 21_600, 21_600,
      ]);
      expect(results.map((r) => r.consecutiveFailures)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(DEFAULT_SCHEDULE_POLICY.maxBackoffSeconds).to.equal(6 * 3600);
    });

    it('stay capped, without overflow, after a very long run of failures', () => {
      const next = nextSchedule(state({ consecutiveFailures: 5000 }), failed(0), middle);
      expect(next.delaySeconds).to.equal(6 * 3600);
      expect(next.consecutiveFailures).to.equal(5001);
      expect(Number.isNaN(next.nextPollAt.getTime())).to.equal(false);
    });

    it('honour the policy cap', () => {
      const policy = { ...DEFAULT_SCHEDULE_POLICY, maxBackoffSeconds: 2000 };
      const results = run(state(), [failed(0), failed(1), failed(2)], policy);
      expect(results.map((r) => r.delaySeconds)).to.deep.equal([900, 1800, 2000]);
    });

    it('leave the effective interval and the last change alone', () => {
      const before = state({ effectiveIntervalSeconds: 1200, lastChangeAt: T0 });
      const next = nextSchedule(before, failed(60), middle);
      expect(next.effectiveIntervalSeconds).to.equal(1200);
      expect(next.lastChangeAt).to.equal(T0);
    });

    it('are forgotten after one successful poll', () => {
      const [, , ok, again] = run(state({ lastChangeAt: T0 }), [
        failed(0),
        failed(1),
        { kind: 'unchanged', at: at(2) },
        failed(3),
      ]);
      expect(ok!.consecutiveFailures).to.equal(0);
      expect(ok!.delaySeconds).to.equal(900);
      expect(again!.consecutiveFailures).to.equal(1);
      expect(again!.delaySeconds).to.equal(900);
    });
  });

  describe('Retry-After', () => {
    const failed = (retryAfterSeconds: number, consecutiveFailures = 0) =>
      nextSchedule(
        state({ jitter: 0.5, consecutiveFailures }),
        { kind: 'failed', at: T0, retryAfterSeconds },
        () => 0,
      );

    it('wins when it asks for longer than the backoff, and jitter never brings the poll earlier', () => {
      const next = failed(5000);
      expect(next.delaySeconds).to.equal(5000);
      expect(next.nextPollAt.toISOString()).to.equal(at(5000).toISOString());
    });

    it('does not shorten the backoff when it asks for less', () => {
      const next = failed(30, 3);
      expect(next.delaySeconds).to.equal(7200);
      // random() = 0 with jitter 0.5 is the low edge of the band: 3600s, still above Retry-After.
      expect(next.nextPollAt.toISOString()).to.equal(at(3600).toISOString());
    });

    it('still takes the Retry-After over a jittered delay that would fall short of it', () => {
      // Backoff 900s, jittered down to 450s; the server asked for 800s.
      const next = failed(800);
      expect(next.delaySeconds).to.equal(900);
      expect(next.nextPollAt.toISOString()).to.equal(at(800).toISOString());
    });

    it('is bounded by the longest interval, so a huge value cannot park a source or break the date', () => {
      for (const huge of [10 * 24 * 3600, 1e15, Number.MAX_VALUE, Infinity]) {
        const next = failed(huge);
        expect(next.delaySeconds, String(huge)).to.equal(DEFAULT_SCHEDULE_POLICY.maxIntervalSeconds);
        expect(next.nextPollAt.toISOString(), String(huge)).to.equal(at(24 * 3600).toISOString());
      }
    });

    it('ignores a negative or NaN value', () => {
      expect(failed(-500).delaySeconds).to.equal(900);
      expect(failed(-500).nextPollAt.toISOString()).to.equal(at(450).toISOString());
      expect(failed(Number.NaN).delaySeconds).to.equal(900);
      expect(failed(Number.NaN).nextPollAt.toISOString()).to.equal(at(450).toISOString());
    });
  });

  describe('adaptive interval', () => {
    it('moves halfway towards half the gap between two changes', () => {
      const next = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'changed', at: at(3600) }, middle);
      // (900 + 3600 / 2) / 2
      expect(next.effectiveIntervalSeconds).to.equal(1350);
      expect(next.delaySeconds).to.equal(1350);
      expect(next.lastChangeAt?.toISOString()).to.equal(at(3600).toISOString());
    });

    it('shortens when changes come faster than the interval', () => {
      const next = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'changed', at: at(600) }, middle);
      expect(next.effectiveIntervalSeconds).to.equal(600); // (900 + 300) / 2
    });

    it('converges on polling twice per change when the source changes regularly', () => {
      const gap = 2400;
      const results = run(
        state({ lastChangeAt: T0 }),
        Array.from({ length: 25 }, (_, i) => ({ kind: 'changed' as const, at: at(gap * (i + 1)) })),
      );
      expect(results.at(-1)!.effectiveIntervalSeconds).to.be.closeTo(gap / 2, 1);
    });

    it('does not move on the first change it sees, only records it', () => {
      const next = nextSchedule(state(), { kind: 'changed', at: at(10) }, middle);
      expect(next.effectiveIntervalSeconds).to.equal(900);
      expect(next.lastChangeAt?.toISOString()).to.equal(at(10).toISOString());
    });

    it('ignores a gap that is zero or negative (clock skew)', () => {
      for (const seconds of [0, -3600]) {
        const next = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'changed', at: at(seconds) }, middle);
        expect(next.effectiveIntervalSeconds, String(seconds)).to.equal(900);
      }
    });

    it('is clamped to the bounds when the gap is extreme', () => {
      const tiny = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'changed', at: at(1) }, middle);
      expect(tiny.effectiveIntervalSeconds).to.equal(450); // (900 + 0.5) / 2 rounds to 450, above 225
      const fast = run(
        state({ lastChangeAt: T0 }),
        Array.from({ length: 10 }, (_, i) => ({ kind: 'changed' as const, at: at(i + 1) })),
      );
      expect(fast.at(-1)!.effectiveIntervalSeconds).to.equal(225);
      const slow = nextSchedule(
        state({ lastChangeAt: T0 }),
        { kind: 'changed', at: at(365 * 24 * 3600) },
        middle,
      );
      expect(slow.effectiveIntervalSeconds).to.equal(7200);
    });

    it('does not lengthen while the source has been quiet for up to two intervals', () => {
      const next = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'unchanged', at: at(1800) }, middle);
      expect(next.effectiveIntervalSeconds).to.equal(900);
      expect(next.lastChangeAt).to.equal(T0);
    });

    it('grows by a quarter per quiet poll once quiet for longer than two intervals, up to interval * 8', () => {
      const next = nextSchedule(state({ lastChangeAt: T0 }), { kind: 'unchanged', at: at(1801) }, middle);
      expect(next.effectiveIntervalSeconds).to.equal(1125);

      const quiet = run(
        state({ lastChangeAt: T0 }),
        Array.from({ length: 40 }, (_, i) => ({ kind: 'unchanged' as const, at: at(1801 + i * 86_400) })),
      );
      const intervals = quiet.map((r) => r.effectiveIntervalSeconds);
      for (let i = 1; i < intervals.length; i++) expect(intervals[i]).to.be.at.least(intervals[i - 1]!);
      expect(intervals.at(-1)).to.equal(7200);
    });

    it('lengthens on a quiet poll of a source that never changed', () => {
      const next = nextSchedule(state(), { kind: 'unchanged', at: at(60) }, middle);
      expect(next.effectiveIntervalSeconds).to.equal(1125);
      expect(next.lastChangeAt).to.equal(null);
    });

    it('pulls a stored interval back into the bounds (e.g. after the configured interval changed)', () => {
      const next = nextSchedule(
        state({ intervalSeconds: 600, effectiveIntervalSeconds: 86_400, lastChangeAt: T0 }),
        { kind: 'unchanged', at: at(10) },
        middle,
      );
      expect(next.effectiveIntervalSeconds).to.equal(4800);
      const low = nextSchedule(
        state({ intervalSeconds: 3600, effectiveIntervalSeconds: 1, lastChangeAt: T0 }),
        { kind: 'unchanged', at: at(10) },
        middle,
      );
      expect(low.effectiveIntervalSeconds).to.equal(900);
    });
  });

  describe('for any input', () => {
    const date = fc.integer({ min: -10 * 365 * 86_400, max: 10 * 365 * 86_400 }).map(at);
    const stateArb = fc.record({
      intervalSeconds: fc.integer({ min: 60, max: 7 * 24 * 3600 }),
      effectiveIntervalSeconds: fc.integer({ min: 1, max: 100 * 24 * 3600 }),
      jitter: fc.double({ min: 0, max: 0.5, noNaN: true }),
      lastChangeAt: fc.option(date, { nil: null }),
      consecutiveFailures: fc.integer({ min: 0, max: 10_000 }),
    });
    const outcomeArb: fc.Arbitrary<PollOutcome> = fc.oneof(
      fc.record({ kind: fc.constant('changed' as const), at: date }),
      fc.record({ kind: fc.constant('unchanged' as const), at: date }),
      fc.record(
        {
          kind: fc.constant('failed' as const),
          at: date,
          retryAfterSeconds: fc.oneof(
            fc.double({ min: -1e6, max: 1e20, noNaN: true }),
            fc.constantFrom(Infinity, -Infinity, Number.NaN),
          ),
        },
        { requiredKeys: ['kind', 'at'] },
      ),
    );
    const policyArb = fc
      .record({
        minIntervalSeconds: fc.integer({ min: 10, max: 3600 }),
        maxIntervalSeconds: fc.integer({ min: 60, max: 30 * 86_400 }),
        maxBackoffSeconds: fc.integer({ min: 60, max: 2 * 86_400 }),
      })
      .filter((p) => p.maxIntervalSeconds >= p.minIntervalSeconds);
    const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

    it('keeps the effective interval within its bounds and the next poll a valid date not before now', () => {
      fc.assert(
        fc.property(stateArb, outcomeArb, randomArb, policyArb, (s, outcome, r, policy) => {
          const next = nextSchedule(s, outcome, () => r, policy);
          const { min, max } = intervalBounds(s.intervalSeconds, policy);
          expect(next.effectiveIntervalSeconds).to.be.within(min, max);
          expect(next.effectiveIntervalSeconds).to.be.at.least(policy.minIntervalSeconds);
          expect(Number.isInteger(next.effectiveIntervalSeconds)).to.equal(true);
          expect(Number.isNaN(next.nextPollAt.getTime())).to.equal(false);
          expect(next.nextPollAt.getTime()).to.be.greaterThan(outcome.at.getTime());

          if (outcome.kind === 'failed') {
            expect(next.consecutiveFailures).to.equal(s.consecutiveFailures + 1);
            expect(next.lastChangeAt).to.equal(s.lastChangeAt);
            expect(next.delaySeconds).to.be.at.most(
              Math.max(policy.maxBackoffSeconds, policy.maxIntervalSeconds),
            );
            expect(waitOf(next, outcome)).to.be.at.most(
              Math.max(policy.maxBackoffSeconds, policy.maxIntervalSeconds) * (1 + s.jitter) + 0.001,
            );
          } else {
            expect(next.consecutiveFailures).to.equal(0);
            expect(next.delaySeconds).to.equal(next.effectiveIntervalSeconds);
            expect(waitOf(next, outcome)).to.be.within(
              next.delaySeconds * (1 - s.jitter) - 0.001,
              next.delaySeconds * (1 + s.jitter) + 0.001,
            );
          }
          if (outcome.kind === 'changed') expect(next.lastChangeAt).to.equal(outcome.at);
          if (outcome.kind === 'unchanged') expect(next.lastChangeAt).to.equal(s.lastChangeAt);
        }),
      );
    });

    it('is deterministic given random(), and leaves the state it was given alone', () => {
      fc.assert(
        fc.property(stateArb, outcomeArb, randomArb, (s, outcome, r) => {
          const copy = structuredClone(s);
          const first = nextSchedule(s, outcome, () => r);
          const second = nextSchedule(s, outcome, () => r);
          expect(second).to.deep.equal(first);
          expect(s).to.deep.equal(copy);
        }),
      );
    });

    it('draws exactly one random number per call', () => {
      let calls = 0;
      const counting = () => {
        calls++;
        return 0.3;
      };
      nextSchedule(state(), { kind: 'changed', at: T0 }, counting);
      nextSchedule(state(), { kind: 'unchanged', at: T0 }, counting);
      nextSchedule(state(), { kind: 'failed', at: T0, retryAfterSeconds: 10 }, counting);
      expect(calls).to.equal(3);
    });
  });
});
