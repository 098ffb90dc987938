import { expect } from 'chai';
import { HEADER } from '../headers.js';
import { asConsumed } from './as-consumed.spec.js';
import { KAFKA_HEADER, decodeHeaders, outgoingRecord, receivedMessage } from './record-codec.js';

describe('kafka record codec', () => {
  const message = {
    id: 'evt-1',
    type: 'trendmill.item.collected.v1',
    key: 'item-42',
    headers: { n: '1', traceparent: '00-abc-def-01' },
    body: Buffer.from('{"n":1}'),
  };

  it('keys a record by entity and carries id and type in headers', () => {
    const r = outgoingRecord(message);
    expect(r.key).to.equal('item-42');
    expect(r.value).to.equal(message.body);
    expect(r.headers).to.include({
      n: '1',
      [KAFKA_HEADER.id]: 'evt-1',
      [HEADER.type]: 'trendmill.item.collected.v1',
      [KAFKA_HEADER.contentType]: 'application/cloudevents+json',
    });
    expect(outgoingRecord({ ...message, key: undefined }).key).to.equal(null);
  });

  it('decodes Buffer, string and repeated header values', () => {
    expect(
      decodeHeaders({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), Buffer.from('2')], d: undefined }),
    ).to.deep.equal({ a: 'x', b: 'y', c: '2' });
    expect(decodeHeaders(undefined)).to.deep.equal({});
  });

  it('round-trips a published message to what a handler receives', () => {
    const got = receivedMessage(asConsumed(outgoingRecord(message)), 'normalizer', false);
    expect(got).to.deep.equal({
      id: 'evt-1',
      type: 'trendmill.item.collected.v1',
      key: 'item-42',
      headers: { n: '1', traceparent: '00-abc-def-01', [HEADER.attempt]: '1' },
      body: message.body,
      attempt: 1,
      group: 'normalizer',
    });
  });

  it('reads the attempt only from retry records', () => {
    const record = asConsumed(outgoingRecord({ ...message, headers: { [HEADER.attempt]: '4' } }));
    expect(receivedMessage(record, 'g', false).attempt).to.equal(1);
    expect(receivedMessage(record, 'g', true).attempt).to.equal(4);
    const bad = asConsumed(outgoingRecord({ ...message, headers: { [HEADER.attempt]: 'x' } }));
    expect(receivedMessage(bad, 'g', true).attempt).to.equal(1);
  });

  it('keeps an empty key apart from no key, and survives a bare record', () => {
    expect(receivedMessage(asConsumed(outgoingRecord({ ...message, key: '' })), 'g', false).key).to.equal('');
    const bare = receivedMessage({ key: null, value: null, offset: '0' }, 'g', false);
    expect(bare).to.include({ id: '', type: '', key: undefined, attempt: 1 });
    expect(bare.body.length).to.equal(0);
  });
});
