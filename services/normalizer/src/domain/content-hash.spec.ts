import { expect } from 'chai';
import { contentHash } from './content-hash.js';

describe('contentHash', () => {
  it('is the sha256 hex of the normalised title and text', () => {
    expect(contentHash('Title', 'Text')).to.match(/^[0-9a-f]{64}$/);
  });

  it('ignores case, spacing and line breaks', () => {
    expect(contentHash('Fed Holds Rates', 'The Fed\nheld   rates.')).to.equal(
      contentHash('fed holds rates', 'the fed held rates.'),
    );
  });

  it('changes when a word changes', () => {
    expect(contentHash('Fed holds rates', 'The Fed held rates.')).not.to.equal(
      contentHash('Fed holds rates', 'The Fed cut rates.'),
    );
  });
});
