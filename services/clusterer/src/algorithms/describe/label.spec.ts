import { expect } from 'chai';
import { clusterLabel, titleCase } from './label.js';

describe('clusterLabel', () => {
  it('joins the top three keywords, title-cased', () => {
    expect(clusterLabel(['climate summit', 'emissions', 'pledge', 'paris'])).to.equal(
      'Climate Summit · Emissions · Pledge',
    );
    expect(clusterLabel(['bitcoin'])).to.equal('Bitcoin');
  });

  it('stays within 60 characters by leaving out keywords that do not fit', () => {
    const label = clusterLabel([
      'international monetary',
      'extraordinarily long compound keyword phrase',
      'inflation',
    ]);
    expect(label).to.equal('International Monetary · Inflation');
    expect([...label].length).to.be.at.most(60);
  });

  it('shortens a first keyword that is too long on its own at a word boundary', () => {
    const long = 'word '.repeat(20).trim();
    const label = clusterLabel([long, 'other']);
    expect([...label].length).to.be.at.most(60);
    expect(label.endsWith('Word…')).to.equal(true);
    expect(clusterLabel(['a'.repeat(100)], { maxLength: 10 })).to.equal(`A${'a'.repeat(8)}…`);
  });

  it('is empty without keywords so the caller can fall back', () => {
    expect(clusterLabel([])).to.equal('');
  });

  it('takes its limits as options', () => {
    expect(clusterLabel(['one', 'two', 'three'], { maxKeywords: 2, separator: ' / ' })).to.equal('One / Two');
  });
});

describe('titleCase', () => {
  it('capitalises each word and leaves scripts without case alone', () => {
    expect(titleCase('état de droit')).to.equal('État De Droit');
    expect(titleCase('climate-related risk')).to.equal('Climate-Related Risk');
    expect(titleCase('気候 summit')).to.equal('気候 Summit');
    expect(titleCase("don't")).to.equal("Don't");
  });
});
