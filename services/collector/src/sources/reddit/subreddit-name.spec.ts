import { expect } from 'chai';
import { InvalidSubredditNameError, parseSubredditName } from './subreddit-name.js';

describe('parseSubredditName', () => {
  it('accepts bare names and the r/ forms people paste', () => {
    expect(parseSubredditName('programming')).to.equal('programming');
    expect(parseSubredditName('r/MachineLearning')).to.equal('MachineLearning');
    expect(parseSubredditName(' /r/rust/ ')).to.equal('rust');
    expect(parseSubredditName('tv')).to.equal('tv');
    expect(parseSubredditName('Ask_Historians')).to.equal('Ask_Historians');
  });

  it('refuses anything that could change the request path or is not a name', () => {
    for (const input of [
      '',
      'a',
      '_hidden',
      'this_name_is_way_too_long_for_reddit',
      '../../api/v1/me',
      'programming/../../x',
      'pics?limit=1',
      'pics#x',
      'two words',
      'rust+golang',
      'r/',
      'ünïcode',
    ]) {
      expect(() => parseSubredditName(input), input).to.throw(InvalidSubredditNameError);
    }
  });
});
