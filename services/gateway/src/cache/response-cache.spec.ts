import { expect } from 'chai';
import { createMemoryResponseCache } from './response-cache.js';

describe('in-process response cache', () => {
  it('returns what was stored until invalidated', async () => {
    const cache = createMemoryResponseCache({ ttlSeconds: 60 });
    await (await cache.lookup('/clusters')).store('{"items":[]}');
    expect((await cache.lookup('/clusters')).value).to.equal('{"items":[]}');
    await cache.invalidate();
    expect((await cache.lookup('/clusters')).value).to.equal(undefined);
  });

  it('does not store a response computed across an invalidation', async () => {
    const cache = createMemoryResponseCache({ ttlSeconds: 60 });
    const before = await cache.lookup('/clusters');
    await cache.invalidate();
    await before.store('stale');
    expect((await cache.lookup('/clusters')).value).to.equal(undefined);
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const cache = createMemoryResponseCache({ ttlSeconds: 60, maxEntries: 2 });
    await (await cache.lookup('a')).store('1');
    await (await cache.lookup('b')).store('2');
    await cache.lookup('a');
    await (await cache.lookup('c')).store('3');
    expect((await cache.lookup('b')).value).to.equal(undefined);
    expect((await cache.lookup('a')).value).to.equal('1');
  });
});
