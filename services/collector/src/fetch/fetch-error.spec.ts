import { expect } from 'chai';
import { FetchError, isFetchError, redactUrl } from './fetch-error.js';

describe('redactUrl', () => {
  it('drops user info and the fragment', () => {
    expect(redactUrl('https://alice:s3cret@feeds.example.com/rss?page=2#top')).to.equal(
      'https://feeds.example.com/rss?page=2',
    );
  });

  it('masks credential-looking query values and keeps the others', () => {
    expect(redactUrl('https://x.example/hook?api_key=abc&token=t&sig=s&limit=100')).to.equal(
      'https://x.example/hook?api_key=***&token=***&sig=***&limit=100',
    );
  });

  it('does not echo input that is not a URL', () => {
    expect(redactUrl('not a url with alice:s3cret')).to.equal('<invalid url>');
  });
});

describe('FetchError', () => {
  it('carries a code, the details and the cause', () => {
    const cause = new Error('boom');
    const error = new FetchError('http_error', 'HTTP 429', {
      status: 429,
      headers: { 'retry-after': '5' },
      cause,
    });
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal('FetchError');
    expect(error.code).to.equal('http_error');
    expect(error.status).to.equal(429);
    expect(error.headers).to.deep.equal({ 'retry-after': '5' });
    expect(error.cause).to.equal(cause);
    expect(isFetchError(error, 'http_error')).to.equal(true);
    expect(isFetchError(error, 'timeout')).to.equal(false);
    expect(isFetchError(cause)).to.equal(false);
  });
});
