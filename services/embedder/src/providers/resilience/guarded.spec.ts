import { expect } from 'chai';
import { InvalidEmbeddingInputError, ProviderUnavailableError } from '../port.js';
import { CallTimeoutError, RemoteCallError } from './failure.js';
import { guarded, type Guard, type GuardEvent, type GuardOptions } from './guarded.js';

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('guarded (timeout, retries, circuit breaker)', () => {
  const guards: Array<Guard<unknown, unknown>> = [];
  let events: GuardEvent[];
  afterEach(() => guards.splice(0).forEach((g) => g.close()));
  beforeEach(() => (events = []));

  function guard<R>(
    fn: (input: number, signal: AbortSignal) => Promise<R>,
    over: Partial<GuardOptions> = {},
  ) {
    const g = guarded(fn, {
      name: 'test-remote',
      timeoutMs: 200,
      retries: 2,
      backoffMs: 5,
      random: () => 0,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 150 },
      onEvent: (e) => events.push(e),
      ...over,
    });
    guards.push(g as Guard<unknown, unknown>);
    return g;
  }

  it('passes results through and counts the attempt', async () => {
    const g = guard(async (n) => n * 2);
    expect(await g.run(21)).to.equal(42);
    expect(g.snapshot()).to.deep.include({ name: 'test-remote', state: 'closed' });
    expect(g.snapshot().counters).to.include({ calls: 1, attempts: 1, successes: 1, failures: 0 });
  });

  it('retries transient failures with growing backoff, then succeeds', async () => {
    let calls = 0;
    const g = guard(async () => {
      if (++calls < 3) throw httpError(503);
      return 'ok';
    });
    expect(await g.run(1)).to.equal('ok');
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.type === 'retry' && e.delayMs)).to.deep.equal([3, 5]);
    expect(g.snapshot().counters).to.include({ attempts: 3, failures: 2, retries: 2, successes: 1 });
  });

  it('gives up after the configured retries with ProviderUnavailableError', async () => {
    let calls = 0;
    const g = guard(
      async () => {
        calls++;
        throw httpError(500);
      },
      { breaker: { errorThresholdPercentage: 50, volumeThreshold: 100, resetTimeoutMs: 150 } },
    );
    const err = await rejectionOf(g.run(1));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect((err as Error).message).to.match(/3 attempts/);
    expect(calls).to.equal(3);
  });

  it('does not retry refused input, and refusals never open the breaker', async () => {
    let calls = 0;
    const g = guard(async () => {
      calls++;
      throw httpError(422);
    });
    for (let i = 0; i < 10; i++)
      expect(await rejectionOf(g.run(i))).to.be.instanceOf(InvalidEmbeddingInputError);
    expect(calls).to.equal(10);
    expect(g.state).to.equal('closed');
    expect(g.snapshot().counters).to.include({ invalid: 10, failures: 0, opened: 0 });
  });

  it('does not retry provider-side configuration failures (401) but reports them as unavailable', async () => {
    let calls = 0;
    const g = guard(async () => {
      calls++;
      throw httpError(401);
    });
    expect(await rejectionOf(g.run(1))).to.be.instanceOf(ProviderUnavailableError);
    expect(calls).to.equal(1);
  });

  it('aborts a slow attempt at the time limit, also when the callee ignores its signal', async () => {
    let seen: AbortSignal | undefined;
    const g = guard(
      (_n, signal) => {
        seen = signal;
        return new Promise<never>(() => {}); // never settles, ignores the signal
      },
      { timeoutMs: 30, retries: 1 },
    );
    const err = await rejectionOf(g.run(1));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect((err as Error).cause).to.be.instanceOf(CallTimeoutError);
    expect(seen?.aborted).to.equal(true);
    expect(g.snapshot().counters).to.include({ attempts: 2, timeouts: 2 });
  });

  it('waits out a short Retry-After and fails at once on a long one, passing it on', async () => {
    let calls = 0;
    const g = guard(
      async () => {
        calls++;
        if (calls === 1)
          throw new RemoteCallError('rate limited', 'transient', { status: 429, retryAfterMs: 40 });
        if (calls === 2)
          throw new RemoteCallError('rate limited', 'transient', { status: 429, retryAfterMs: 60_000 });
        return 'never reached';
      },
      { maxRetryWaitMs: 1000 },
    );
    const err = await rejectionOf(g.run(1));
    expect(events.find((e) => e.type === 'retry')).to.deep.include({ delayMs: 40 });
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect((err as ProviderUnavailableError).retryAfterMs).to.equal(60_000);
    expect(calls).to.equal(2);
  });

  it('opens after repeated failures, fails fast while open, half-opens, and closes on success', async () => {
    let calls = 0;
    let healthy = false;
    const g = guard(
      async () => {
        calls++;
        if (!healthy) throw httpError(502);
        return 'ok';
      },
      { retries: 0 },
    );
    for (let i = 0; i < 4; i++) await rejectionOf(g.run(i));
    expect(g.state).to.equal('open');
    const before = calls;
    const fast = await rejectionOf(g.run(9));
    expect(fast).to.be.instanceOf(ProviderUnavailableError);
    expect((fast as ProviderUnavailableError).retryAfterMs).to.be.within(1, 150);
    expect(calls, 'no call while open').to.equal(before);

    await new Promise((r) => setTimeout(r, 170));
    expect(g.state).to.equal('halfOpen');
    healthy = true;
    expect(await g.run(1)).to.equal('ok');
    expect(g.state).to.equal('closed');
    const states = events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    expect(states).to.deep.equal(['open', 'halfOpen', 'closed']);
    expect(g.snapshot().counters).to.include({ opened: 1, rejected: 1 });
  });

  it('re-opens when the half-open trial fails', async () => {
    const g = guard(async () => Promise.reject(httpError(503)), {
      retries: 0,
      breaker: { errorThresholdPercentage: 50, volumeThreshold: 1, resetTimeoutMs: 40 },
    });
    await rejectionOf(g.run(1));
    expect(g.state).to.equal('open');
    await new Promise((r) => setTimeout(r, 60));
    expect(g.state).to.equal('halfOpen');
    expect(await rejectionOf(g.run(1))).to.be.instanceOf(ProviderUnavailableError);
    expect(g.state).to.equal('open');
  });

  it("passes a caller's abort through without counting it against the provider", async () => {
    const g = guard(
      (_n, signal) =>
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      { breaker: { errorThresholdPercentage: 1, volumeThreshold: 1, resetTimeoutMs: 1000 } },
    );
    const controller = new AbortController();
    const pending = g.run(1, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('client went away')), 10);
    const err = await rejectionOf(pending);
    expect((err as Error).message).to.equal('client went away');
    expect(g.state).to.equal('closed');
    expect(g.snapshot().counters).to.include({ failures: 0, retries: 0 });
  });

  it('survives an event callback that throws', async () => {
    const g = guard(async () => 'ok', {
      onEvent: () => {
        throw new Error('metrics broke');
      },
    });
    expect(await g.run(1)).to.equal('ok');
  });
});
