import { expect } from 'chai';
import type { ReceivedMessage } from '../port.js';
import { HEADER } from '../headers.js';
import { KAFKA_HEADER, receivedMessage } from './record-codec.js';
import {
  deadLetterRecord,
  decodeDeadLetter,
  liveDeadLetters,
  replayMarker,
  replayMarkerKey,
  replayRecord,
} from './dead-letter-record.js';
import { asConsumed } from './as-consumed.spec.js';

describe('kafka dead-letter records', () => {
  const at = new Date('2025-01-02T03:04:05.000Z');
  const poison: ReceivedMessage = {
    id: 'evt-7',
    type: 'trendmill.item.collected.v1',
    key: 'item-7',
    headers: { n: '7', [HEADER.attempt]: '3', [HEADER.lastError]: 'Error: boom' },
    body: Buffer.from('{"n":7}'),
    attempt: 3,
    group: 'normalizer',
  };
  const stored = (offset: string, message = poison) => ({
    partition: 0,
    record: asConsumed(deadLetterRecord(message, 'Error: boom (after 3 attempts)', at), offset),
  });

  it('keeps the message, the reason, the attempts and when it died', () => {
    const dl = decodeDeadLetter('normalizer', stored('0').record);
    expect(dl).to.deep.include({
      id: 'evt-7',
      group: 'normalizer',
      type: 'trendmill.item.collected.v1',
      key: 'item-7',
      reason: 'Error: boom (after 3 attempts)',
      attempts: 3,
      deadLetteredAt: '2025-01-02T03:04:05.000Z',
    });
    expect(dl.body.toString()).to.equal('{"n":7}');
    expect(dl.headers).to.include({ n: '7', [HEADER.reason]: 'Error: boom (after 3 attempts)' });
    expect(dl.headers).not.to.have.property(KAFKA_HEADER.id);
    expect(dl.headers).not.to.have.property(HEADER.type);
  });

  it('replays as a fresh first attempt, due now, without the dead-letter headers', () => {
    const dl = decodeDeadLetter('normalizer', stored('0').record);
    const replay = asConsumed(replayRecord(dl, at.getTime()));
    expect(replay.headers![KAFKA_HEADER.notBefore]!.toString()).to.equal(String(at.getTime()));
    const again = receivedMessage(replay, 'normalizer', true);
    expect(again).to.deep.include({ id: 'evt-7', type: poison.type, key: 'item-7', attempt: 1 });
    expect(again.headers).to.deep.equal({ n: '7', [HEADER.attempt]: '1' });
  });

  it('marks a replayed letter by position and id', () => {
    const s = {
      position: { partition: 0, offset: '12' },
      letter: decodeDeadLetter('g', stored('12').record),
    };
    expect(replayMarkerKey(s.position, 'evt-7')).to.equal('0:12:evt-7');
    const m = replayMarker(s, at);
    expect(m.key).to.equal('0:12:evt-7');
    expect(JSON.parse(String(m.value))).to.deep.equal({ id: 'evt-7', replayedAt: at.toISOString() });
  });

  it('lists only letters without a marker, in offset order', () => {
    const other = { ...poison, id: 'evt-8' };
    const letters = [stored('10'), stored('9', other), stored('2')];
    const live = liveDeadLetters('normalizer', letters, new Set(['0:2:evt-7']));
    expect(live.map((d) => `${d.position.offset}:${d.letter.id}`)).to.deep.equal(['9:evt-8', '10:evt-7']);
  });

  it('does not let a marker hide a different letter at the same position (a recreated DLQ)', () => {
    const live = liveDeadLetters('normalizer', [stored('0')], new Set(['0:0:some-older-letter']));
    expect(live).to.have.length(1);
  });
});
