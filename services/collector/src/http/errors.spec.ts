import { expect } from 'chai';
import type { Response } from 'express';
import { ApiError, sendError, type ApiErrorBody } from './errors.js';

/** Records what a handler sent, in the order express would see it. */
function recordingResponse() {
  const sent: { status?: number; body?: unknown } = {};
  const res = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('sendError', () => {
  it('answers with the status and the one error shape', () => {
    const { res, sent } = recordingResponse();
    sendError(res, 404, 'source_not_found', 'no source abc');
    expect(sent.status).to.equal(404);
    expect(sent.body).to.deep.equal({ error: { code: 'source_not_found', message: 'no source abc' } });
    expect(Object.keys((sent.body as ApiErrorBody).error)).to.deep.equal(['code', 'message']);
  });

  it('includes details when given, even falsy ones, and only then', () => {
    const details = [{ path: 'url', message: 'expected an absolute http(s) URL' }];
    const withDetails = recordingResponse();
    sendError(withDetails.res, 400, 'validation_failed', 'url: expected an absolute http(s) URL', details);
    expect(withDetails.sent.body).to.deep.equal({
      error: { code: 'validation_failed', message: 'url: expected an absolute http(s) URL', details },
    });

    for (const falsy of [null, 0, '', false]) {
      const { res, sent } = recordingResponse();
      sendError(res, 400, 'bad', 'm', falsy);
      expect((sent.body as ApiErrorBody).error, String(falsy)).to.have.property('details', falsy);
    }
  });
});

describe('ApiError', () => {
  it('is an Error carrying the status, code, message and details a handler answers with', () => {
    const details = { limit: 1000 };
    const error = new ApiError(413, 'batch_too_large', 'at most 1000 items', details);
    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ status: 413, code: 'batch_too_large', message: 'at most 1000 items' });
    expect(error.details).to.equal(details);
    expect(new ApiError(400, 'x', 'y').details).to.equal(undefined);
  });
});
