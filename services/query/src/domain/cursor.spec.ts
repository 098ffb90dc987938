import { expect } from 'chai';
import { QueryApiError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor codec', () => {
  it('round-trips numbers, timestamps and ids as URL-safe text', () => {
    for (const cursor of [
      { o: 'clusters:size', v: 42, id: 'c-1' },
      { o: 'clusters:emerging', v: 0.1 + 0.2, id: 'x/y?z' },
      { o: 'items:recent', v: '2026-01-01T00:00:00.123Z', id: 'é' },
    ]) {
      const text = encodeCursor(cursor);
      expect(text).to.match(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(text, cursor.o)).to.deep.equal(cursor);
    }
  });

  it('refuses a cursor issued for another ordering', () => {
    const text = encodeCursor({ o: 'clusters:size', v: 3, id: 'a' });
    expect(() => decodeCursor(text, 'clusters:recent'))
      .to.throw(QueryApiError)
      .with.property('code', 'invalid_cursor');
  });

  it('refuses garbage, wrong shapes and oversized ids with 400 invalid_cursor', () => {
    const bad = [
      'not-json',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from(JSON.stringify({ o: 'items:recent', v: {}, id: 'a' })).toString('base64url'),
      Buffer.from(JSON.stringify({ o: 'items:recent', v: 1, id: 'a'.repeat(201) })).toString('base64url'),
    ];
    for (const text of bad) {
      try {
        decodeCursor(text, 'items:recent');
        expect.fail(`accepted ${text}`);
      } catch (err) {
        expect(err).to.be.instanceOf(QueryApiError);
        expect((err as QueryApiError).status).to.equal(400);
      }
    }
  });
});
