import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { signWebhook, verifyWebhookSignature } from '../../../src/subscriptions/signature.js';
import { GatewayHarness } from '../harness.js';

// Security suite, webhook signatures and what the browser is told (see README.md here).
// Signature behaviour (tamper, other secret, replay window, rotation, malformed headers) is in
// src/subscriptions/signature.spec.ts and the example receiver's in ../subscriptions/examples;
// the dashboard's escaping runs in headless Chromium in test/browser/dashboard.test.ts.

const source = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('security: webhook signatures, CSP and escaping', function () {
  this.timeout(30_000);

  describe('signatures', () => {
    it('compares signatures and API key hashes with crypto.timingSafeEqual, never with ===', () => {
      for (const file of ['../../../src/subscriptions/signature.ts', '../../../src/auth/api-key-format.ts']) {
        const text = source(file);
        expect(text, file).to.match(/import \{[^}]*timingSafeEqual[^}]*\} from 'node:crypto'/);
        expect(text, file).to.match(/timingSafeEqual\(given, (expected|stored)\)/);
      }
    });

    it('rejects a captured delivery replayed after the window, even with its valid signature', () => {
      const body = '{"id":"e1"}';
      const sentAt = 1_800_000_000;
      const header = signWebhook('whsec_x', body, sentAt);
      expect(verifyWebhookSignature('whsec_x', header, body, { now: (sentAt + 60) * 1000 }).ok).to.equal(
        true,
      );
      expect(verifyWebhookSignature('whsec_x', header, body, { now: (sentAt + 301) * 1000 })).to.deep.equal({
        ok: false,
        reason: 'timestamp_out_of_tolerance',
      });
    });

    it('the example receiver verifies through the helper, with its replay window', () => {
      const receiver = source('../../../../../examples/webhook-receiver.ts');
      expect(receiver).to.contain('verifyWebhookSignature(');
      expect(receiver).to.contain('toleranceSeconds');
      expect(receiver).to.not.match(/signature\s*===|===\s*signature/);
    });
  });

  describe('headers and escaping through the gateway', () => {
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start();
    });
    after(async () => {
      await h?.stop();
    });

    it('serves the dashboard with a strict same-origin CSP: no inline or eval script, no framing', async () => {
      const res = await fetch(`${h.baseUrl}/`);
      expect(res.status).to.equal(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `)) ?? '';
      expect(directive('default-src')).to.equal("default-src 'none'");
      expect(directive('script-src')).to.equal("script-src 'self'");
      expect(csp).to.not.contain('unsafe-inline').and.not.contain('unsafe-eval');
      expect(directive('frame-ancestors')).to.equal("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    });

    it('returns markup in item text as JSON data that a browser will not render (type, nosniff, CSP)', async () => {
      h.fake.items[0]!.title = '<img src=x onerror=alert(1)><script>alert(2)</script>';
      const res = await h.call('GET', '/api/v1/items', { key: 'read' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('content-security-policy')).to.contain("default-src 'none'");
      expect(res.body.items[0].title).to.equal('<img src=x onerror=alert(1)><script>alert(2)</script>');
    });

    it('answers an error that echoes input as JSON, not HTML', async () => {
      const res = await fetch(`${h.baseUrl}/api/v1/%3Cscript%3Ealert(1)%3C%2Fscript%3E`, {
        headers: { authorization: `Bearer ${h.keys.read}` },
      });
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    });
  });
});
