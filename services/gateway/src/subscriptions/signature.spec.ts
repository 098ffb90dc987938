import { expect } from 'chai';
import { computeSignature, signWebhook, verifyWebhookSignature } from './signature.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret_value';
  const body = '{"specversion":"1.0","id":"e1","type":"trendmill.cluster.created.v1"}';
  const t = 1_764_930_000;
  const now = t * 1000 + 2_000;

  it('accepts a signature made over the same body and time', () => {
    const header = signWebhook(secret, body, t);
    expect(header).to.match(/^t=1764930000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, { now })).to.deep.equal({ ok: true, timestamp: t });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), { now }).ok).to.equal(true);
  });

  it('is HMAC-SHA256 of "<t>.<body>" in hex', async () => {
    const { createHmac } = await import('node:crypto');
    expect(computeSignature(secret, t, body)).to.equal(
      createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'),
    );
  });

  it('rejects a tampered body', () => {
    const header = signWebhook(secret, body, t);
    const tampered = body.replace('e1', 'e2');
    expect(verifyWebhookSignature(secret, header, tampered, { now })).to.deep.equal({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('rejects another secret', () => {
    const header = signWebhook('whsec_another_secret', body, t);
    expect(verifyWebhookSignature(secret, header, body, { now }).ok).to.equal(false);
  });

  it('rejects a stale or future timestamp outside the tolerance (replays)', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, { now: (t + 301) * 1000 })).to.deep.equal({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifyWebhookSignature(secret, header, body, { now: (t - 301) * 1000 }).ok).to.equal(false);
    expect(
      verifyWebhookSignature(secret, header, body, { now: (t + 3_000) * 1000, toleranceSeconds: 3_600 }).ok,
    ).to.equal(true);
  });

  it('rejects a timestamp changed after signing even inside the window', () => {
    const header = signWebhook(secret, body, t).replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhookSignature(secret, header, body, { now }).ok).to.equal(false);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const header = `t=${t},v1=${computeSignature('whsec_old_secret_123', t, body)},v1=${computeSignature(secret, t, body)}`;
    expect(verifyWebhookSignature(secret, header, body, { now }).ok).to.equal(true);
  });

  for (const header of [
    undefined,
    '',
    'v1=abc',
    `t=${t}`,
    `t=abc,v1=${'0'.repeat(64)}`,
    `t=${t},v1=xyz`,
    'garbage',
  ]) {
    it(`reports a malformed header: ${JSON.stringify(header)}`, () => {
      expect(verifyWebhookSignature(secret, header, body, { now })).to.deep.equal({
        ok: false,
        reason: 'malformed_header',
      });
    });
  }
});
