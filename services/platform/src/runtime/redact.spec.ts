import { expect } from 'chai';
import { REDACTED, isSecretKey, redact, redactDeep } from './redact.js';

describe('redact', () => {
  it('masks the password of every URL in a string and keeps the user', () => {
    expect(redact('amqp://guest:guest@localhost:5672/vhost')).to.equal(
      'amqp://guest:***@localhost:5672/vhost',
    );
    expect(redact('from postgres://app:s3cr%40t@db:5432/x to redis://:hunter2@cache:6379')).to.equal(
      'from postgres://app:***@db:5432/x to redis://:***@cache:6379',
    );
  });

  it('leaves URLs without a password alone', () => {
    expect(redact('http://collector:4318/v1/traces')).to.equal('http://collector:4318/v1/traces');
    expect(redact('amqp://guest@localhost')).to.equal('amqp://guest@localhost');
    expect(redact('memory://')).to.equal('memory://');
  });

  it('judges secret keys by their last word', () => {
    for (const key of [
      'password',
      'dbPassword',
      'HF_TOKEN',
      'apiKey',
      'X-Api-Key',
      'authorization',
      'set-cookie',
    ])
      expect(isSecretKey(key), key).to.equal(true);
    for (const key of ['tokenCount', 'secretName', 'key', 'type', 'passes'])
      expect(isSecretKey(key), key).to.equal(false);
  });

  it('redacts nested fields, arrays and errors without touching the input', () => {
    const input = {
      user: 'ana',
      auth: { apiKey: 'k-123', nested: [{ password: 'p' }, 'amqp://u:p@h'] },
      err: Object.assign(new Error('cannot reach postgres://u:pw@db/x'), { token: 't' }),
    };
    const out = redactDeep(input);
    expect(out).to.deep.include({
      user: 'ana',
      auth: { apiKey: REDACTED, nested: [{ password: REDACTED }, 'amqp://u:***@h'] },
    });
    expect(out).to.have.nested.property('err.message', 'cannot reach postgres://u:***@db/x');
    expect(out).to.have.nested.property('err.token', REDACTED);
    expect(JSON.stringify(out)).to.not.include('pw@');
    expect(input.auth.apiKey).to.equal('k-123');
  });

  it('cuts cycles instead of recursing forever', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactDeep(a)).to.deep.equal({ name: 'a', self: '[Circular]' });
  });
});
