import { expect } from 'chai';
import { CTfIdfIndex, cTfIdfWeights, profileSimilarity } from './c-tf-idf.js';
import { DescribeError } from './errors.js';
import { keywordTerms } from './keyword-terms.js';
import { clusterLabel } from './label.js';
import { TermCounts } from './term-counts.js';

const climate = [
  'Climate summit opens in Paris with record attendance',
  'Leaders at the climate summit pledge emissions cuts',
  'Climate summit: emissions pledge falls short, say scientists',
  'Protesters gather outside climate summit venue',
  'Emissions pledge dominates final day of climate summit',
];
const bitcoin = [
  'Bitcoin price surges past record high',
  'Bitcoin ETF inflows lift price again',
  'Crypto markets rally as bitcoin climbs to record',
  'Analysts question bitcoin rally after record week',
];
const phones = [
  'Apple unveils new iPhone with better camera',
  'iPhone camera review: sharper photos at night',
  'Apple event recap: iPhone, watch and more',
  'Record preorders for the latest iPhone',
];

function indexOf(clusters: Record<string, string[]>): CTfIdfIndex {
  const index = new CTfIdfIndex();
  for (const [id, texts] of Object.entries(clusters))
    for (const text of texts) index.addDocument(id, keywordTerms(text));
  return index;
}

function expectSameProfile(a: Map<string, number>, b: Map<string, number>) {
  expect([...a.keys()].sort()).to.deep.equal([...b.keys()].sort());
  for (const [term, weight] of a) expect(b.get(term)).to.be.closeTo(weight, 1e-12);
}

describe('cTfIdfWeights', () => {
  it('computes tf(t,c)/|c| × log(1 + A / f_t) as BERTopic does', () => {
    const a = TermCounts.of([['x', 'x', 'y']]);
    const b = TermCounts.of([['y', 'z']]);
    const corpus = a.clone().merge(b);
    const stats = { frequency: (t: string) => corpus.count(t), averageClassSize: corpus.total / 2 };
    const wa = cTfIdfWeights(a, stats);
    const wb = cTfIdfWeights(b, stats);
    // A = 5 / 2; f_x = 2, f_y = 2, f_z = 1.
    expect(wa.get('x')).to.be.closeTo((2 / 3) * Math.log(1 + 2.5 / 2), 1e-12);
    expect(wa.get('y')).to.be.closeTo((1 / 3) * Math.log(1 + 2.5 / 2), 1e-12);
    expect(wb.get('z')).to.be.closeTo((1 / 2) * Math.log(1 + 2.5 / 1), 1e-12);
    expect(wb.get('z')!).to.be.above(wb.get('y')!);
  });

  it('gives empty counts an empty profile', () => {
    expect(cTfIdfWeights(new TermCounts(), { frequency: () => 0, averageClassSize: 0 }).size).to.equal(0);
  });
});

describe('CTfIdfIndex', () => {
  it('describes each cluster by what sets it apart, phrases first', () => {
    const index = indexOf({ climate, bitcoin, phones });
    const keywords = index.keywords('climate', { k: 5 });
    expect(keywords[0]).to.equal('climate summit');
    expect(keywords).to.include('emissions pledge');
    expect(keywords).not.to.include('climate');
    expect(keywords).not.to.include('summit');
    expect(clusterLabel(keywords)).to.match(/^Climate Summit · Emissions Pledge/);
    expect(index.keywords('bitcoin', { k: 3 })[0]).to.equal('bitcoin');
    expect(index.keywords('phones', { k: 3 })).to.include.members(['iphone', 'apple']);
  });

  it('weighs a word shared by every cluster below one that belongs to one cluster', () => {
    // "record" occurs in all three clusters, "bitcoin" only in one, equally often in that cluster.
    const index = indexOf({
      climate: [...climate, 'Record heat'],
      bitcoin,
      phones,
    });
    const profile = index.profile('bitcoin');
    expect(index.counts('bitcoin').count('record')).to.equal(3);
    expect(profile.get('record')!).to.be.below((profile.get('bitcoin')! * 3) / 4);
  });

  it('does not make a phrase seen once a keyword', () => {
    const index = indexOf({ bitcoin, phones });
    expect(index.keywords('bitcoin', { k: 20 })).not.to.include('etf inflows');
    expect(index.keywords('bitcoin', { k: 20, minPhraseCount: 1 })).to.include('etf inflows');
  });

  it('gives the same profiles built incrementally as built from scratch', () => {
    const incremental = indexOf({ climate, bitcoin: bitcoin.slice(0, 2), more: bitcoin.slice(2), phones });
    incremental.addDocument('phones', keywordTerms('Stray post about bitcoin'));
    incremental.removeDocument('phones', keywordTerms('Stray post about bitcoin'));
    incremental.mergeClusters('bitcoin', 'more');
    const scratch = indexOf({ climate, bitcoin, phones });
    expect(incremental.clusterIds().sort()).to.deep.equal(['bitcoin', 'climate', 'phones']);
    for (const id of scratch.clusterIds()) expectSameProfile(incremental.profile(id), scratch.profile(id));
    expect(incremental.corpus.toJSON()).to.deep.equal(scratch.corpus.toJSON());
  });

  it('restores clusters from stored counts and forgets retired ones', () => {
    const original = indexOf({ climate, bitcoin, phones });
    const restored = new CTfIdfIndex();
    for (const id of original.clusterIds()) {
      restored.setCluster(id, TermCounts.fromJSON(JSON.parse(JSON.stringify(original.counts(id)))));
    }
    restored.setCluster('phones', original.counts('phones')); // replacing must not double-count
    for (const id of original.clusterIds()) expectSameProfile(restored.profile(id), original.profile(id));

    restored.removeCluster('phones');
    expectSameProfile(restored.profile('climate'), indexOf({ climate, bitcoin }).profile('climate'));
    expect(restored.has('phones')).to.equal(false);
  });

  it('matches a newly found group to the cluster it is about', () => {
    const index = indexOf({ climate, bitcoin, phones });
    const group = TermCounts.of(
      ['Climate summit ends with emissions pledge', 'Scientists react to climate summit pledge'].map((t) =>
        keywordTerms(t),
      ),
    );
    const profile = index.profileOf(group);
    const toClimate = profileSimilarity(profile, index.profile('climate'));
    const toBitcoin = profileSimilarity(profile, index.profile('bitcoin'));
    expect(toClimate).to.be.above(0.5);
    expect(toBitcoin).to.equal(0);
    expect(index.similarity('climate', 'climate')).to.be.closeTo(1, 1e-12);
    expect(index.similarity('climate', 'phones')).to.be.below(toClimate);
  });

  it('weighs counts outside the index as if they were one more cluster', () => {
    const index = indexOf({ climate, bitcoin, phones });
    const group = TermCounts.of(
      ['Climate summit ends with emissions pledge', 'Bitcoin rally'].map((t) => keywordTerms(t)),
    );
    const profile = index.profileOf(group);
    const keywords = index.keywordsOf(group, { k: 5 });
    expect(keywords).to.have.length(5);
    index.setCluster('group', group);
    expectSameProfile(profile, index.profile('group'));
    expect(keywords).to.deep.equal(index.keywords('group', { k: 5 }));
  });

  it('says which cluster it does not know', () => {
    const index = indexOf({ climate });
    expect(() => index.profile('nope'))
      .to.throw(DescribeError)
      .with.property('code', 'unknown_cluster');
    expect(() => index.mergeClusters('climate', 'nope')).to.throw(DescribeError);
    expect(() => index.mergeClusters('climate', 'climate'))
      .to.throw(DescribeError)
      .with.property('code', 'invalid_argument');
  });
});

describe('profileSimilarity', () => {
  it('is the cosine of two sparse profiles', () => {
    const a = new Map([
      ['x', 1],
      ['y', 1],
    ]);
    const b = new Map([
      ['y', 1],
      ['z', 1],
    ]);
    expect(profileSimilarity(a, b)).to.be.closeTo(0.5, 1e-12);
    expect(profileSimilarity(a, new Map())).to.equal(0);
    expect(profileSimilarity(b, a)).to.equal(profileSimilarity(a, b));
  });
});
