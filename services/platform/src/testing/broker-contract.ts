import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Broker, BrokerFeatures, OutgoingMessage, ReceivedMessage } from '../broker/port.js';
import { DeferDelivery, PermanentFailure } from '../broker/errors.js';
import { sleep, waitFor } from './wait-for.js';

/**
 * The universal contract every broker adapter must pass before it is trusted (after watermill's
 * "universal tests"). Each adapter runs it against its real transport and declares in `features`
 * what it promises; tests for a feature it does not promise are reported as pending, by name.
 */
export interface BrokerContractTarget {
  /** A fresh client on the transport under test. Several may be open at once (replicas). */
  create(): Promise<Broker>;
  features: BrokerFeatures;
  /** Cuts the live connection(s) under the adapter, as a network fault would. */
  breakConnection?(): Promise<void>;
  /** Removes what the run created on the transport (queues, topics). */
  cleanup?(): Promise<void>;
  /** When set, the whole suite is reported as skipped with this reason (e.g. no server configured). */
  skipReason?: string;
}

const fastRetry = { initialMs: 20, factor: 2, maxMs: 200 };

export function describeBrokerContract(name: string, target: BrokerContractTarget): void {
  describe(`broker contract: ${name}`, function () {
    this.timeout(60_000);
    const open: Broker[] = [];
    let run = '';

    before(function () {
      if (target.skipReason) {
        // Reported as pending by the test reporter, with the suite name and the reason.
        this.test!.parent!.title += ` (skipped: ${target.skipReason})`;
        this.skip();
      }
    });
    beforeEach(() => {
      run = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close().catch(() => undefined)));
    });
    after(async () => {
      await target.cleanup?.();
    });

    async function client(): Promise<Broker> {
      const b = await target.create();
      open.push(b);
      return b;
    }
    const type = (what: string) => `trendmill.contract${run}.${what}.v1`;
    const group = (what: string) => `contract-${run}-${what}`;
    const msg = (t: string, i: number, key?: string): OutgoingMessage => ({
      id: `${run}-${i}`,
      type: t,
      key: key ?? `k${i}`,
      headers: { n: String(i) },
      body: Buffer.from(JSON.stringify({ n: i })),
    });
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);

    it('delivers a published message with its id, type, key, headers and body', async () => {
      const b = await client();
      const got: ReceivedMessage[] = [];
      await b.subscribe({ group: group('a'), types: [type('happened')] }, async (m) => void got.push(m));
      await b.publish(msg(type('happened'), 1, 'entity-1'));
      await waitFor(() => got.length === 1, { what: 'delivery' });
      const m = got[0]!;
      expect(m.id).to.equal(`${run}-1`);
      expect(m.type).to.equal(type('happened'));
      expect(m.key).to.equal('entity-1');
      expect(m.headers.n).to.equal('1');
      expect(JSON.parse(m.body.toString())).to.deep.equal({ n: 1 });
      expect(m.attempt).to.equal(1);
      expect(m.group).to.equal(group('a'));
    });

    it('routes only the subscribed types, with AMQP-style wildcard patterns', async () => {
      const b = await client();
      const got: string[] = [];
      const family = `trendmill.ct${run}`;
      await b.subscribe(
        { group: group('w'), types: [`${family}.#`, `trendmill.*.other${run}.v1`] },
        async (m) => {
          got.push(m.type);
        },
      );
      const types = [`${family}.created.v1`, `trendmill.item.collected${run}.v1`, `${family}.merged.v2`];
      await b.publish([...types.map((t, i) => msg(t, i)), msg(`trendmill.x.other${run}.v1`, 9)]);
      await waitFor(() => got.length === 3, { what: 'three matching events' });
      await sleep(100);
      expect(got.sort()).to.deep.equal([
        `${family}.created.v1`,
        `${family}.merged.v2`,
        `trendmill.x.other${run}.v1`,
      ]);
    });

    it('fans out every message to each subscribing group', async () => {
      const b = await client();
      const a: string[] = [];
      const c: string[] = [];
      await b.subscribe({ group: group('one'), types: [type('fan')] }, async (m) => void a.push(m.id));
      await b.subscribe({ group: group('two'), types: [type('fan')] }, async (m) => void c.push(m.id));
      await b.publish(range(20).map((i) => msg(type('fan'), i)));
      await waitFor(() => a.length === 20 && c.length === 20, { what: 'fan-out' });
      expect(new Set(a).size).to.equal(20);
      expect(new Set(c).size).to.equal(20);
    });

    it('lets replicas of one group compete: each message to exactly one of them', async () => {
      const b1 = await client();
      const b2 = await client();
      const seen1: string[] = [];
      const seen2: string[] = [];
      const slow = async () => sleep(2);
      await b1.subscribe({ group: group('c'), types: [type('work')], prefetch: 2 }, async (m) => {
        seen1.push(m.id);
        await slow();
      });
      await b2.subscribe({ group: group('c'), types: [type('work')], prefetch: 2 }, async (m) => {
        seen2.push(m.id);
        await slow();
      });
      await b1.publish(range(100).map((i) => msg(type('work'), i)));
      await waitFor(() => seen1.length + seen2.length === 100, { what: '100 deliveries' });
      await sleep(100);
      expect(seen1.length + seen2.length).to.equal(100);
      expect(new Set([...seen1, ...seen2]).size).to.equal(100);
      expect(seen1.length, 'replica 1 got work').to.be.greaterThan(0);
      expect(seen2.length, 'replica 2 got work').to.be.greaterThan(0);
    });

    it('redelivers a nacked message with the attempt counted, then acks it', async () => {
      const b = await client();
      const attempts: number[] = [];
      await b.subscribe({ group: group('r'), types: [type('flaky')], backoff: fastRetry }, async (m) => {
        attempts.push(m.attempt);
        if (m.attempt < 3) throw new Error('transient');
      });
      await b.publish(msg(type('flaky'), 1));
      await waitFor(() => attempts.length === 3, { what: 'three attempts' });
      await sleep(150);
      expect(attempts).to.deep.equal([1, 2, 3]);
      expect(await b.deadLetters.depth(group('r'))).to.equal(0);
    });

    it('dead-letters a message that always fails after maxAttempts, keeping the reason; replay redelivers it', async () => {
      const b = await client();
      let fail = true;
      const attempts: number[] = [];
      const delivered: string[] = [];
      await b.subscribe(
        { group: group('d'), types: [type('poison')], maxAttempts: 3, backoff: fastRetry },
        async (m) => {
          attempts.push(m.attempt);
          if (fail) throw new Error('handler exploded');
          delivered.push(m.id);
        },
      );
      await b.publish(msg(type('poison'), 7));
      await waitFor(async () => (await b.deadLetters.depth(group('d'))) === 1, { what: 'dead letter' });
      expect(attempts).to.deep.equal([1, 2, 3]);
      const [dl] = await b.deadLetters.list({ group: group('d') });
      expect(dl!.id).to.equal(`${run}-7`);
      expect(dl!.type).to.equal(type('poison'));
      expect(dl!.reason).to.contain('handler exploded');
      expect(dl!.attempts).to.equal(3);
      expect(JSON.parse(dl!.body.toString())).to.deep.equal({ n: 7 });

      fail = false;
      expect(await b.deadLetters.replay({ group: group('d'), ids: [dl!.id] })).to.equal(1);
      await waitFor(() => delivered.length === 1, { what: 'replayed delivery' });
      expect(delivered).to.deep.equal([`${run}-7`]);
      expect(await b.deadLetters.depth(group('d'))).to.equal(0);
    });

    it('dead-letters a PermanentFailure at once, without retries', async () => {
      const b = await client();
      const attempts: number[] = [];
      await b.subscribe({ group: group('p'), types: [type('invalid')], backoff: fastRetry }, async (m) => {
        attempts.push(m.attempt);
        throw new PermanentFailure('schema: data.title: required');
      });
      await b.publish(msg(type('invalid'), 1));
      await waitFor(async () => (await b.deadLetters.depth(group('p'))) === 1, { what: 'dead letter' });
      expect(attempts).to.deep.equal([1]);
      const [dl] = await b.deadLetters.list({ group: group('p') });
      expect(dl!.reason).to.contain('schema: data.title: required');
    });

    it('replays only the dead letters named by id', async () => {
      const b = await client();
      const ok = new Set<string>();
      await b.subscribe({ group: group('sel'), types: [type('sel')] }, async (m) => {
        if (!ok.has(m.id)) throw new PermanentFailure('not yet');
      });
      await b.publish([msg(type('sel'), 1), msg(type('sel'), 2), msg(type('sel'), 3)]);
      await waitFor(async () => (await b.deadLetters.depth(group('sel'))) === 3, {
        what: 'three dead letters',
      });
      ok.add(`${run}-2`);
      expect(await b.deadLetters.replay({ group: group('sel'), ids: [`${run}-2`] })).to.equal(1);
      await waitFor(async () => (await b.deadLetters.depth(group('sel'))) === 2, { what: 'one replayed' });
      const left = (await b.deadLetters.list({ group: group('sel') })).map((d) => d.id).sort();
      expect(left).to.deep.equal([`${run}-1`, `${run}-3`]);
    });

    it('defers a message without spending an attempt', async () => {
      const b = await client();
      const attempts: number[] = [];
      await b.subscribe({ group: group('def'), types: [type('wait')], maxAttempts: 2 }, async (m) => {
        attempts.push(m.attempt);
        if (attempts.length < 4) throw new DeferDelivery('provider down', 30);
      });
      await b.publish(msg(type('wait'), 1));
      await waitFor(() => attempts.length === 4, { what: 'four deliveries' });
      expect(attempts).to.deep.equal([1, 1, 1, 1]);
      expect(await b.deadLetters.depth(group('def'))).to.equal(0);
    });

    it('waits for in-flight handlers when a subscription closes', async () => {
      const b = await client();
      let finished = 0;
      let started = 0;
      const sub = await b.subscribe({ group: group('g'), types: [type('slow')], prefetch: 4 }, async () => {
        started++;
        await sleep(200);
        finished++;
      });
      await b.publish(range(4).map((i) => msg(type('slow'), i)));
      await waitFor(() => started === 4, { what: 'four started' });
      await sub.close();
      expect(finished).to.equal(4);
    });

    it('keeps per-key order for a single consumer', async function () {
      if (!target.features.orderedPerKey) return this.skip();
      const b = await client();
      const got: number[] = [];
      await b.subscribe({ group: group('o'), types: [type('ordered')], prefetch: 1 }, async (m) => {
        got.push(Number(m.headers.n));
      });
      for (const i of range(50)) await b.publish(msg(type('ordered'), i, 'same-entity'));
      await waitFor(() => got.length === 50, { what: '50 ordered' });
      expect(got).to.deep.equal(range(50));
    });

    it('keeps messages for a group while no consumer runs, across a client restart', async function () {
      if (!target.features.persistent) return this.skip();
      const b1 = await client();
      const sub = await b1.subscribe(
        { group: group('dur'), types: [type('durable')] },
        async () => undefined,
      );
      await sub.close();
      await b1.publish(range(10).map((i) => msg(type('durable'), i)));
      await b1.close();
      const b2 = await client();
      const got: string[] = [];
      await b2.subscribe({ group: group('dur'), types: [type('durable')] }, async (m) => void got.push(m.id));
      await waitFor(() => got.length === 10, { what: 'messages kept across restart' });
      expect(new Set(got).size).to.equal(10);
    });

    it('loses no confirmed message when the connection drops while messages flow', async function () {
      if (!target.features.reconnects || !target.breakConnection) return this.skip();
      const b = await client();
      const consumed = new Set<string>();
      await b.subscribe({ group: group('loss'), types: [type('flow')], prefetch: 16 }, async (m) => {
        consumed.add(m.id);
      });
      const confirmed: string[] = [];
      let broke = false;
      for (const i of range(400)) {
        if (i === 150) {
          await target.breakConnection!();
          broke = true;
        }
        const m = msg(type('flow'), i);
        // A publish that rejects was not confirmed; the caller (the outbox relay) retries it.
        for (let tries = 0; ; tries++) {
          try {
            await b.publish(m);
            confirmed.push(m.id);
            break;
          } catch (err) {
            if (tries > 200) throw err;
            await sleep(50);
          }
        }
      }
      expect(broke).to.equal(true);
      await waitFor(() => confirmed.every((id) => consumed.has(id)), {
        timeoutMs: 30_000,
        what: 'every confirmed message consumed',
      });
      expect(confirmed.length).to.equal(400);
    });
  });
}
