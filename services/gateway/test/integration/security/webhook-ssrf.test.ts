import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { LookupFunction } from '@trendmill/collector';
import { createAddressPolicy, checkWebhookUrl } from '../../../src/subscriptions/webhooks/webhook-url.js';
import { createWebhookSender } from '../../../src/subscriptions/webhooks/webhook-sender.js';
import { GatewayHarness } from '../harness.js';

// Security suite, SSRF through webhook URLs (see README.md here). Source URLs are covered in the
// collector (services/collector/test/integration/fetch/{ssrf-guard,redirects,dns-rebinding}).
// ../subscriptions/webhooks.test.ts checks six common forms and a target that turns private
// after registration; here every range and spelling the issue names goes through the public API,
// names resolving to loopback go through an injected resolver, and redirects are not followed.

const REFUSED_FORMS = [
  'http://10.0.0.1/hook',
  'http://10.255.255.254/hook',
  'http://172.16.0.1/hook',
  'http://172.31.255.254/hook',
  'http://192.168.1.1/hook',
  'http://127.0.0.1/hook',
  'http://127.1/hook',
  'http://127.255.255.254/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://0.0.0.0/hook',
  'http://0/hook',
  'http://[::1]/hook',
  'http://[::]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://[::ffff:10.0.0.1]/hook',
  'http://[fc00::1]/hook',
  'http://[fd12:3456::1]/hook',
  'http://[fe80::1]/hook',
  'http://[febf::1]/hook',
  'http://2130706433/hook',
  'http://0x7f.0.0.1/hook',
  'http://0x7f000001/hook',
  'http://0177.0.0.1/hook',
  'http://017700000001/hook',
  'http://localhost/hook',
  'http://LocalHost/hook',
  'https://127.0.0.1:8443/hook',
];

describe('security: SSRF through webhook URLs', function () {
  this.timeout(30_000);

  describe('registration through the public API (no allowlist)', () => {
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start({ settings: { subscriptions: true, webhookAllowlist: [] } });
    });
    after(async () => {
      await h?.stop();
    });

    for (const url of REFUSED_FORMS) {
      it(`refuses ${url} with 422 webhook_url_refused`, async () => {
        const res = await h.call('POST', '/api/v1/subscriptions', {
          key: 'write',
          body: { url, types: ['cluster.created'] },
        });
        expect(res.status).to.equal(422);
        expect(res.body.error.code).to.equal('webhook_url_refused');
        expect(res.body.error.details[0].path).to.equal('url');
      });
    }

    it('refuses localhost. (trailing dot) too, as loopback or as a name this resolver cannot answer', async () => {
      const res = await h.call('POST', '/api/v1/subscriptions', {
        key: 'write',
        body: { url: 'http://LOCALHOST./hook', types: ['cluster.created'] },
      });
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.be.oneOf(['webhook_url_refused', 'invalid_webhook_url']);
    });

    it('stores none of the refused URLs', async () => {
      const list = await h.call('GET', '/api/v1/subscriptions', { key: 'read' });
      expect(list.body.subscriptions).to.deep.equal([]);
    });
  });

  describe('host names that resolve to private addresses (injected resolver)', () => {
    const policy = createAddressPolicy([]);
    const resolvingTo =
      (...addresses: string[]): LookupFunction =>
      async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

    for (const [address, why] of [
      ['127.0.0.1', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['169.254.169.254', 'link-local'],
      ['fd00::1', 'private'],
    ] as const) {
      it(`refuses a name resolving to ${address} (${why}) at registration`, async () => {
        const error = await checkWebhookUrl('https://hooks.example.com/in', {
          policy,
          lookup: resolvingTo(address),
        }).then(
          () => undefined,
          (e: unknown) => e as { code?: string; message?: string },
        );
        expect(error?.code).to.equal('webhook_url_refused');
        expect(error?.message).to.contain(why);
      });
    }

    it('refuses a name with one private address among public ones', async () => {
      const error = await checkWebhookUrl('https://hooks.example.com/in', {
        policy,
        lookup: resolvingTo('93.184.216.34', '127.0.0.1'),
      }).catch((e: unknown) => e as { code?: string });
      expect((error as { code?: string }).code).to.equal('webhook_url_refused');
    });

    it('refuses at delivery a name that resolves to loopback, before any connection', async () => {
      const receiver = await listen((_req, res) => res.writeHead(204).end());
      const sender = createWebhookSender({ lookup: resolvingTo('127.0.0.1'), breaker: false });
      try {
        const result = await sender.send(delivery(`http://hooks.example.com:${receiver.port}/in`));
        expect(result.ok).to.equal(false);
        expect(!result.ok && result.error)
          .to.contain('SSRF')
          .and.to.contain('loopback');
        expect(!result.ok && result.retryable).to.equal(false);
        expect(receiver.hits).to.equal(0);
      } finally {
        await sender.close();
        await receiver.close();
      }
    });
  });

  describe('redirects', () => {
    it('does not follow a redirect from an allowed receiver to a private address', async () => {
      const target = await listen((_req, res) => res.writeHead(204).end());
      const redirector = await listen((_req, res) =>
        res.writeHead(307, { location: `http://127.0.0.1:${target.port}/internal` }).end(),
      );
      const sender = createWebhookSender({ allowlist: [`127.0.0.1/32`], breaker: false });
      try {
        const result = await sender.send(delivery(`http://127.0.0.1:${redirector.port}/hook`));
        expect(result).to.deep.include({ ok: false, status: 307 });
        expect(target.hits, 'the redirect target was never contacted').to.equal(0);
        const metadata = await listen((_req, res) =>
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
        );
        const second = await sender.send(delivery(`http://127.0.0.1:${metadata.port}/hook`));
        expect(second).to.deep.include({ ok: false, status: 302 });
        await metadata.close();
      } finally {
        await sender.close();
        await redirector.close();
        await target.close();
      }
    });
  });
});

function delivery(url: string) {
  return {
    url,
    secret: 'whsec_test',
    body: '{}',
    eventId: 'e1',
    eventType: 'trendmill.cluster.created.v1',
    deliveryId: 'd1',
    attempt: 1,
    timestamp: Math.floor(Date.now() / 1000),
  };
}

async function listen(
  handler: Parameters<typeof createServer>[1],
): Promise<{ port: number; hits: number; close(): Promise<void> }> {
  const state = { port: 0, hits: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    state.hits++;
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
