import { expect } from 'chai';
import { BAND_POSTINGS_CAP, InMemoryNearDuplicateStore } from './near-duplicate-store.js';

describe('InMemoryNearDuplicateStore: band keys held by too many items are skipped', () => {
  /** `count` items that all hold `common`, each also its own key; one of them also holds `rare`. */
  function storeWith(count: number): InMemoryNearDuplicateStore {
    const store = new InMemoryNearDuplicateStore();
    for (let i = 0; i < count; i++) {
      const id = `item-${String(i).padStart(4, '0')}`;
      store.addNow(id, ['common', `own-${i}`, ...(i === 7 ? ['rare'] : [])], `sig-${i}`);
    }
    return store;
  }

  it('a key held by BAND_POSTINGS_CAP items still finds every one of them', () => {
    const store = storeWith(BAND_POSTINGS_CAP);
    const found = store.candidatesNow(['common'], 1_000);
    expect(found).to.have.length(BAND_POSTINGS_CAP);
    expect(found.every((c) => c.shared === 1)).to.equal(true);
  });

  it('a key held by one item more says nothing: the lookup skips it, and the other keys still count', () => {
    const store = storeWith(BAND_POSTINGS_CAP + 1);
    expect(store.candidatesNow(['common'], 1_000)).to.deep.equal([]);
    expect(store.candidatesNow(['common', 'rare', 'own-7'], 1_000)).to.deep.equal([
      { itemId: 'item-0007', signature: 'sig-7', shared: 2 },
    ]);
  });
});
