import { expect } from 'chai';
import { pointUuid } from './point-id.js';

describe('pointUuid', () => {
  it('is the RFC 9562 version-5 UUID of the id (values from Python uuid.uuid5 with the same namespace)', () => {
    expect(pointUuid('item-1')).to.equal('29b3f554-6509-54bb-99c3-b40757f3538b');
    expect(pointUuid('https://example.com/a?b=c')).to.equal('cc5ae987-d6ec-56dc-b05d-108f85312707');
    expect(pointUuid('Ünïcode')).to.equal('9ba050a1-8f4b-5a7b-88e4-b67867546d07');
  });

  it('is stable and distinct across ids', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id-${i}`);
    const uuids = ids.map(pointUuid);
    expect(new Set(uuids).size).to.equal(ids.length);
    expect(ids.map(pointUuid)).to.deep.equal(uuids);
    for (const u of uuids)
      expect(u).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
