import { expect } from 'chai';
import fc from 'fast-check';
import { EVENT_TYPE_LIST, EVENT_TYPES, eventCatalog } from './catalog.js';
import { createEvent, parseEvent, serializeEvent } from './parse.js';

const opts = { source: '/trendmill/test', subject: 'itm_1' };

describe('event parsing and creation', () => {
  for (const type of EVENT_TYPE_LIST) {
    it(`accepts the catalog example of ${type} and round-trips it`, () => {
      const event = createEvent(type, eventCatalog[type].example, opts);
      const parsed = parseEvent(serializeEvent(event));
      expect(parsed.ok, JSON.stringify(parsed)).to.equal(true);
      if (parsed.ok) expect(parsed.event).to.deep.equal(JSON.parse(JSON.stringify(event)));
    });
  }

  it('gives every created event a unique id, a time and the CloudEvents attributes', () => {
    const a = createEvent(EVENT_TYPES.sourceFailed, eventCatalog[EVENT_TYPES.sourceFailed].example, opts);
    const b = createEvent(EVENT_TYPES.sourceFailed, eventCatalog[EVENT_TYPES.sourceFailed].example, opts);
    expect(a.id).to.not.equal(b.id);
    expect(a.specversion).to.equal('1.0');
    expect(a.datacontenttype).to.equal('application/json');
    expect(Date.parse(a.time)).to.be.a('number').and.not.NaN;
  });

  it('keeps traceparent and correlationid when given', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const e = createEvent(EVENT_TYPES.clusterRetired, eventCatalog[EVENT_TYPES.clusterRetired].example, {
      ...opts,
      traceparent,
      correlationid: 'corr-1',
    });
    const parsed = parseEvent(JSON.stringify(e));
    expect(parsed.ok && parsed.event.traceparent).to.equal(traceparent);
    expect(parsed.ok && parsed.event.correlationid).to.equal('corr-1');
  });

  it('refuses to create an event whose data does not fit, naming the field', () => {
    const bad = { ...eventCatalog[EVENT_TYPES.itemCollected].example, collectedAt: 'yesterday' };
    expect(() => createEvent(EVENT_TYPES.itemCollected, bad, opts)).to.throw(/collectedAt/);
  });

  it('reports malformed JSON', () => {
    const r = parseEvent('{"specversion":');
    expect(r).to.include({ ok: false, code: 'malformed_json' });
  });

  it('reports an invalid envelope with the failing attribute', () => {
    const e = createEvent(EVENT_TYPES.sourceFailed, eventCatalog[EVENT_TYPES.sourceFailed].example, opts);
    const r = parseEvent({ ...e, specversion: '0.3' });
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.code).to.equal('invalid_envelope');
      expect(r.reason).to.contain('specversion');
    }
  });

  it('refuses an unknown version of a known event by name, never guessing', () => {
    const e = createEvent(EVENT_TYPES.clusterCreated, eventCatalog[EVENT_TYPES.clusterCreated].example, opts);
    const r = parseEvent({ ...e, type: 'trendmill.cluster.created.v2' });
    expect(r).to.deep.equal({
      ok: false,
      code: 'unknown_event_type',
      reason: 'unknown event type or version "trendmill.cluster.created.v2"',
    });
  });

  it('reports invalid data with the path of each problem', () => {
    const e = createEvent(EVENT_TYPES.clusterCreated, eventCatalog[EVENT_TYPES.clusterCreated].example, opts);
    const r = parseEvent({ ...e, data: { ...e.data, version: 0, label: 42 } });
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.code).to.equal('invalid_data');
      expect(r.reason).to.contain('version').and.to.contain('label');
    }
  });

  it('refuses an embedded vector whose length does not match dim', () => {
    const e = createEvent(EVENT_TYPES.itemEmbedded, eventCatalog[EVENT_TYPES.itemEmbedded].example, opts);
    const r = parseEvent({ ...e, data: { ...e.data, dim: 5 } });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.contain('vector length does not match dim');
  });

  it('refuses oversized input before parsing it', () => {
    const r = parseEvent('x'.repeat(600 * 1024));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.reason).to.contain('over the');
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue(),
          fc.uint8Array().map((a) => Buffer.from(a)),
        ),
        (input) => {
          const r = parseEvent(input);
          expect(r.ok).to.be.a('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
