import { expect } from 'chai';
import type { ReceivedMessage } from '../port.js';
import { HEADER } from '../headers.js';
import { KAFKA_HEADER, decodeHeaders, receivedMessage } from './record-codec.js';
import { msUntilDue, notBefore, retryRecord } from './retry-schedule.js';
import { asConsumed } from './as-consumed.spec.js';

describe('kafka retry schedule', () => {
  const now = 1_700_000_000_000;
  const failed: ReceivedMessage = {
    id: 'evt-1',
    type: 'trendmill.item.collected.v1',
    key: 'item-42',
    headers: { n: '1', [HEADER.attempt]: '2' },
    body: Buffer.from('{}'),
    attempt: 2,
    group: 'normalizer',
  };

  it('schedules a retry for the next attempt, not before now + the backoff delay', () => {
    const r = retryRecord(
      failed,
      { kind: 'retry', delayMs: 800, nextAttempt: 3, reason: 'Error: boom' },
      now,
    );
    const h = decodeHeaders(asConsumed(r).headers);
    expect(h[HEADER.attempt]).to.equal('3');
    expect(h[HEADER.lastError]).to.equal('Error: boom');
    expect(h[KAFKA_HEADER.notBefore]).to.equal(String(now + 800));
    expect(r.key).to.equal('item-42');
  });

  it('defers without spending an attempt', () => {
    const r = retryRecord(
      failed,
      { kind: 'defer', delayMs: 30, attempt: 2, reason: 'DeferDelivery: down' },
      now,
    );
    const again = receivedMessage(asConsumed(r), 'normalizer', true);
    expect(again.attempt).to.equal(2);
    expect(msUntilDue(decodeHeaders(asConsumed(r).headers), now)).to.equal(30);
  });

  it('hands the retried message back with its id, type, key, headers and the last error', () => {
    const r = retryRecord(failed, { kind: 'retry', delayMs: 0, nextAttempt: 3, reason: 'Error: boom' }, now);
    const again = receivedMessage(asConsumed(r), 'normalizer', true);
    expect(again).to.deep.include({ id: 'evt-1', type: failed.type, key: 'item-42', attempt: 3 });
    expect(again.headers).to.deep.equal({ n: '1', [HEADER.attempt]: '3', [HEADER.lastError]: 'Error: boom' });
  });

  it('clips a huge error so it cannot bloat the record', () => {
    const reason = 'x'.repeat(10_000);
    const r = retryRecord(failed, { kind: 'retry', delayMs: 0, nextAttempt: 3, reason }, now);
    expect(String(r.headers![HEADER.lastError]).length).to.be.lessThan(2_100);
  });

  it('counts down to the not-before time and is due at once without a readable one', () => {
    const h = (v: string) => ({ [KAFKA_HEADER.notBefore]: v });
    expect(msUntilDue(h(String(now + 250)), now)).to.equal(250);
    expect(msUntilDue(h(String(now - 5)), now)).to.equal(0);
    expect(msUntilDue({}, now)).to.equal(0);
    expect(msUntilDue(h('soon'), now)).to.equal(0);
    expect(notBefore(now, -10)).to.equal(now);
  });
});
