import { expect } from 'chai';
import { CallTimeoutError, RemoteCallError, classifyFailure, classifyStatus } from './failure.js';

describe('classifyFailure', () => {
  const httpError = (status: number, extra: object = {}) =>
    Object.assign(new Error(`HTTP ${status}`), { httpResponse: { status } }, extra);

  it('treats 5xx, 408, 425 and 429 as transient', () => {
    for (const s of [500, 502, 503, 504, 408, 425, 429])
      expect(classifyFailure(httpError(s)).kind, String(s)).to.equal('transient');
  });

  it('treats 401, 403 and 404 as provider-side configuration problems, other 4xx as invalid input', () => {
    for (const s of [401, 403, 404]) expect(classifyStatus(s), String(s)).to.equal('unavailable');
    for (const s of [400, 413, 422]) expect(classifyStatus(s), String(s)).to.equal('invalid');
    expect(classifyStatus(200)).to.equal(undefined);
  });

  it('finds the status wherever common clients keep it', () => {
    expect(classifyFailure(Object.assign(new Error('x'), { status: 503 })).status).to.equal(503);
    expect(classifyFailure(Object.assign(new Error('x'), { statusCode: 422 })).kind).to.equal('invalid');
    expect(classifyFailure(Object.assign(new Error('x'), { response: { status: 429 } })).kind).to.equal(
      'transient',
    );
  });

  it('keeps an explicit kind and Retry-After of a RemoteCallError', () => {
    const f = classifyFailure(
      new RemoteCallError('slow down', 'transient', { status: 429, retryAfterMs: 1500 }),
    );
    expect(f).to.deep.equal({ kind: 'transient', reason: 'slow down', status: 429, retryAfterMs: 1500 });
    expect(classifyFailure(new RemoteCallError('wrong size', 'unavailable')).kind).to.equal('unavailable');
  });

  it('treats timeouts and socket errors (also inside fetch failed) as transient', () => {
    expect(classifyFailure(new CallTimeoutError('late', 10)).kind).to.equal('transient');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(new TypeError('fetch failed', { cause: refused })).kind).to.equal('transient');
    expect(classifyFailure(new TypeError('fetch failed')).kind).to.equal('transient');
  });

  it('recognises aborts and passes unknown errors through as unknown', () => {
    expect(classifyFailure(new DOMException('stop', 'AbortError')).kind).to.equal('aborted');
    expect(classifyFailure(new TypeError('x is not a function')).kind).to.equal('unknown');
    expect(classifyFailure('a string').kind).to.equal('unknown');
  });
});
