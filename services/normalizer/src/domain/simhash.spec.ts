import { expect } from 'chai';
import { weightedShingles } from './fingerprint-scheme.js';
import { words } from './shingles.js';
import { hammingDistance, isSimHash, simHash, simHashSimilarity } from './simhash.js';

const fingerprint = (text: string) => simHash(weightedShingles(words(text), [1, 2]));

describe('simHash', () => {
  const story =
    'The Federal Reserve left interest rates unchanged on Wednesday, citing persistent inflation and a strong labour market. ' +
    'Policymakers said they needed greater confidence before lowering borrowing costs.';

  it('is 16 lower-case hex characters and deterministic', () => {
    expect(fingerprint(story)).to.match(/^[0-9a-f]{16}$/);
    expect(fingerprint(story)).to.equal(fingerprint(story));
  });

  it('does not see case or punctuation', () => {
    expect(fingerprint(story.toUpperCase().replace(/[.,]/g, ''))).to.equal(fingerprint(story));
  });

  it('keeps a lightly edited copy closer than an unrelated text', () => {
    const edited = story.replace('Wednesday', 'Thursday').replace('strong', 'robust');
    const unrelated = fingerprint(
      'A new species of frog was found in the Amazon rainforest by a team of biologists last spring.',
    );
    expect(hammingDistance(fingerprint(story), fingerprint(edited))).to.be.below(
      hammingDistance(fingerprint(story), unrelated),
    );
    expect(simHashSimilarity(fingerprint(story), fingerprint(edited))).to.be.above(0.7);
  });

  it('treats malformed fingerprints as maximally distant', () => {
    expect(hammingDistance('zz', fingerprint(story))).to.equal(64);
    expect(isSimHash('0123456789abcdef')).to.equal(true);
    expect(isSimHash('0123456789ABCDEF')).to.equal(false);
  });
});
