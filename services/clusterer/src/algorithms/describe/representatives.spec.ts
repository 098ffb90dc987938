import { expect } from 'chai';
import { normalize } from './centroid.js';
import { DescribeError } from './errors.js';
import { representativeItems } from './representatives.js';

const at = (degrees: number) => {
  const radians = (degrees * Math.PI) / 180;
  return Float32Array.of(Math.cos(radians), Math.sin(radians));
};

describe('representativeItems', () => {
  const centroid = at(0);
  const items = [
    { id: 'far', vector: at(80) },
    { id: 'near', vector: at(5) },
    { id: 'middle', vector: at(40) },
    { id: 'opposite', vector: at(180) },
    { id: 'nearest', vector: at(1) },
  ];

  it('returns the n items nearest the centroid, nearest first, with their similarity', () => {
    const picked = representativeItems(items, centroid, 3);
    expect(picked.map((item) => item.id)).to.deep.equal(['nearest', 'near', 'middle']);
    expect(picked[0]!.similarity).to.be.closeTo(Math.cos(Math.PI / 180), 1e-6);
  });

  it('breaks ties by id whatever the input order', () => {
    const tied = [
      { id: 'b', vector: at(10) },
      { id: 'c', vector: at(-10) },
      { id: 'a', vector: at(10) },
    ];
    expect(representativeItems(tied, centroid, 2).map((item) => item.id)).to.deep.equal(['a', 'b']);
    expect(representativeItems([...tied].reverse(), centroid, 2).map((item) => item.id)).to.deep.equal([
      'a',
      'b',
    ]);
  });

  it('returns every item when n is larger, and none for n = 0', () => {
    expect(representativeItems(items, centroid, 10)).to.have.length(5);
    expect(representativeItems(items, centroid, 0)).to.deep.equal([]);
    expect(representativeItems([], centroid, 3)).to.deep.equal([]);
  });

  it('counts an item listed twice once', () => {
    const twice = [items[1]!, items[1]!, items[2]!];
    expect(representativeItems(twice, centroid, 3).map((item) => item.id)).to.deep.equal(['near', 'middle']);
  });

  it('rejects a bad n, a vector of another dimension and a non-finite vector', () => {
    expect(() => representativeItems(items, centroid, -1))
      .to.throw(DescribeError)
      .with.property('code', 'invalid_argument');
    expect(() => representativeItems([{ id: 'x', vector: normalize(Float32Array.of(1, 2, 3)) }], centroid, 1))
      .to.throw(DescribeError)
      .with.property('code', 'dimension_mismatch');
    expect(() => representativeItems([{ id: 'x', vector: Float32Array.of(Number.NaN, 1) }], centroid, 1))
      .to.throw(DescribeError)
      .with.property('code', 'invalid_argument');
  });
});
