import { expect } from 'chai';
import { RRF_K, reciprocalRankFusion } from './rrf.js';

describe('reciprocal rank fusion', () => {
  it('scores Σ 1/(k + rank) and records each list rank', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    const byId = Object.fromEntries(fused.map((f) => [f.id, f]));
    expect(byId.a!.score).to.be.closeTo(1 / (RRF_K + 1) + 1 / (RRF_K + 2), 1e-12);
    expect(byId.c!.score).to.be.closeTo(1 / (RRF_K + 3) + 1 / (RRF_K + 1), 1e-12);
    expect(byId.b!.ranks).to.deep.equal([2, null]);
    expect(fused.map((f) => f.id)).to.deep.equal(['a', 'c', 'b']);
  });

  it('puts an item found by both lists above one found by a single list at the same rank', () => {
    const fused = reciprocalRankFusion([
      ['x', 'both'],
      ['y', 'both'],
    ]);
    expect(fused[0]!.id).to.equal('both');
  });

  it('breaks exact ties deterministically and keeps the best rank of a repeated id', () => {
    const fused = reciprocalRankFusion([
      ['q', 'p'],
      ['p', 'q'],
      ['r', 'r'],
    ]);
    expect(fused.map((f) => f.id)).to.deep.equal(['p', 'q', 'r']);
    expect(fused.find((f) => f.id === 'r')!.ranks).to.deep.equal([null, null, 1]);
  });

  it('handles empty lists', () => {
    expect(reciprocalRankFusion([[], []])).to.deep.equal([]);
    expect(reciprocalRankFusion([[], ['a']]).map((f) => f.ranks)).to.deep.equal([[null, 1]]);
  });
});
