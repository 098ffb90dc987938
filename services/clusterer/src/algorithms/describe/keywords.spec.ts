import { expect } from 'chai';
import { DescribeError } from './errors.js';
import { selectKeywords } from './keywords.js';

const profile = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('selectKeywords', () => {
  it('puts a strong phrase in place of its word and drops the phrase’s other word', () => {
    const keywords = selectKeywords(
      profile({ climate: 1.0, emissions: 0.8, summit: 0.7, 'climate summit': 0.9, pledge: 0.5 }),
    );
    expect(keywords).to.deep.equal(['climate summit', 'emissions', 'pledge']);
  });

  it('keeps the word and skips the phrase when the phrase is weak', () => {
    const keywords = selectKeywords(profile({ climate: 1.0, 'climate change': 0.3, emissions: 0.5 }));
    expect(keywords).to.deep.equal(['climate', 'emissions']);
  });

  it('lets two phrases share a word, and skips a word a chosen phrase covers', () => {
    const keywords = selectKeywords(
      profile({ 'climate summit': 1.0, 'climate finance': 0.9, climate: 0.8, finance: 0.4, summit: 0.3 }),
    );
    expect(keywords).to.deep.equal(['climate summit', 'climate finance']);
  });

  it('respects k and the phrase strength option', () => {
    const weights = profile({ climate: 1.0, 'climate change': 0.6, emissions: 0.5, pledge: 0.4 });
    expect(selectKeywords(weights, { k: 2 })).to.deep.equal(['climate', 'emissions']);
    expect(selectKeywords(weights, { k: 2, phraseStrength: 0.5 })).to.deep.equal([
      'climate change',
      'emissions',
    ]);
    expect(selectKeywords(weights, { k: 0 })).to.deep.equal([]);
  });

  it('breaks ties by term so the order of the profile does not matter', () => {
    const a = selectKeywords(profile({ zeta: 1, alpha: 1, mid: 1 }));
    const b = selectKeywords(profile({ mid: 1, zeta: 1, alpha: 1 }));
    expect(a).to.deep.equal(['alpha', 'mid', 'zeta']);
    expect(b).to.deep.equal(a);
  });

  it('rejects a k that is not a whole number', () => {
    expect(() => selectKeywords(profile({}), { k: -1 }))
      .to.throw(DescribeError)
      .with.property('code', 'invalid_argument');
    expect(() => selectKeywords(profile({}), { k: 1.5 })).to.throw(DescribeError);
    expect(() => selectKeywords(profile({}), { phraseStrength: Number.NaN })).to.throw(DescribeError);
  });
});
