import { expect } from 'chai';
import { DescribeError } from './errors.js';
import { TermCounts } from './term-counts.js';

const docs = [['climate', 'summit', 'climate summit'], ['climate', 'pledge', 'climate'], ['bitcoin']];

describe('TermCounts', () => {
  it('counts every occurrence of every term and the documents they came from', () => {
    const counts = TermCounts.of(docs);
    expect(counts.documents).to.equal(3);
    expect(counts.total).to.equal(7);
    expect(counts.size).to.equal(5);
    expect(counts.count('climate')).to.equal(3);
    expect(counts.count('climate summit')).to.equal(1);
    expect(counts.count('absent')).to.equal(0);
  });

  it('merges to the counts of the union of both sets of documents', () => {
    const merged = TermCounts.of(docs.slice(0, 1)).merge(TermCounts.of(docs.slice(1)));
    expect(merged.toJSON()).to.deep.equal(TermCounts.of(docs).toJSON());
  });

  it('removes a document it counted and subtracts counts it contains', () => {
    const counts = TermCounts.of(docs).removeDocument(docs[1]!);
    expect(counts.toJSON()).to.deep.equal(TermCounts.of([docs[0]!, docs[2]!]).toJSON());
    expect(counts.count('pledge')).to.equal(0);
    expect(counts.size).to.equal(4);

    const rest = TermCounts.of(docs).subtract(TermCounts.of([docs[2]!]));
    expect(rest.toJSON()).to.deep.equal(TermCounts.of(docs.slice(0, 2)).toJSON());
  });

  it('refuses to remove terms it never counted, and changes nothing', () => {
    const counts = TermCounts.of(docs);
    const before = counts.toJSON();
    expect(() => counts.removeDocument(['climate', 'unknown']))
      .to.throw(DescribeError)
      .with.property('code', 'invalid_argument');
    expect(() => counts.removeDocument(['bitcoin', 'bitcoin'])).to.throw(DescribeError);
    expect(() => new TermCounts().removeDocument([])).to.throw(DescribeError);
    expect(() => counts.subtract(TermCounts.of([['pledge', 'pledge']]))).to.throw(DescribeError);
    expect(counts.toJSON()).to.deep.equal(before);
  });

  it('round-trips through JSON with terms in a stable order', () => {
    const counts = TermCounts.of(docs);
    const json = JSON.parse(JSON.stringify(counts)) as unknown;
    expect(Object.keys((json as { terms: object }).terms)).to.deep.equal([
      'bitcoin',
      'climate',
      'climate summit',
      'pledge',
      'summit',
    ]);
    const restored = TermCounts.fromJSON(json);
    expect(restored.toJSON()).to.deep.equal(counts.toJSON());
    expect(restored.total).to.equal(7);
  });

  it('rejects stored counts that are not counts', () => {
    for (const bad of [
      null,
      { documents: -1, terms: {} },
      { documents: 1, terms: { a: 0 } },
      { documents: 1, terms: { a: 1.5 } },
    ]) {
      expect(() => TermCounts.fromJSON(bad))
        .to.throw(DescribeError)
        .with.property('code', 'invalid_term_counts');
    }
  });

  it('clones independently', () => {
    const counts = TermCounts.of(docs);
    const copy = counts.clone().addDocument(['extra']);
    expect(counts.count('extra')).to.equal(0);
    expect(copy.documents).to.equal(4);
  });
});
