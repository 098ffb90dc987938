import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { verifyWebhookSignature } from '../../../src/subscriptions/index.js';
import {
  clusterCreated,
  migrateGateway,
  sampleEvent,
  startReceiver,
  startReplica,
  toMessage,
  type GatewayReplica,
} from './harness.js';

interface SubscriptionBody {
  id: string;
  url: string;
  types: string[];
  enabled: boolean;
  secret?: string;
  consecutiveFailures: number;
  disabledReason: string | null;
}
interface DeliveryBody {
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  eventType: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ path: string; message: string }> };
}

/** Every replica of one deployment shares the key that seals signing secrets. */
const secretKey = randomBytes(32);

describe('gateway webhooks (PostgreSQL, receivers on loopback)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let gateway: GatewayReplica;
  const closers: Array<() => Promise<void>> = [];

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwhook' });
    await migrateGateway(db);
    gateway = await startReplica(db, {
      dispatcher: { maxAttempts: 10, disableAfterFailures: 3 },
      secretKey,
    });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  after(async () => {
    await gateway?.stop();
    await db?.cleanup();
  });

  const api = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const receiver = async (status?: (n: number) => number) => {
    const r = await startReceiver(status);
    closers.push(() => r.close());
    return r;
  };

  it('ACCEPTANCE: a receiver on loopback gets a correctly signed cluster.created', async () => {
    const hook = await receiver();
    const created = await api<SubscriptionBody>('POST', '/subscriptions', {
      url: hook.url,
      types: ['cluster.created'],
    });
    expect(created.status).to.equal(201);
    expect(created.body.secret).to.match(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.body.types).to.deep.equal([EVENT_TYPES.clusterCreated]);
    const secret = created.body.secret!;

    const event = clusterCreated('rust web frameworks');
    await gateway.broker.publish([toMessage(sampleEvent(EVENT_TYPES.clusterUpdated)), toMessage(event)]);
    await waitFor(() => hook.received.length === 1, { what: 'one webhook POST' });
    const [request] = hook.received;
    expect(request!.headers['trendmill-event-id']).to.equal(event.id);
    expect(request!.headers['trendmill-event-type']).to.equal(EVENT_TYPES.clusterCreated);
    expect(request!.headers['content-type']).to.match(/^application\/cloudevents\+json/);
    expect(JSON.parse(request!.body)).to.deep.equal(JSON.parse(JSON.stringify(event)));
    const signature = request!.headers['trendmill-signature'] as string;
    expect(verifyWebhookSignature(secret, signature, request!.body)).to.deep.include({ ok: true });
    expect(verifyWebhookSignature(secret, signature, request!.body.replace('rust', 'ruby')).ok).to.equal(
      false,
    );
    expect(verifyWebhookSignature('whsec_wrong_secret_value', signature, request!.body).ok).to.equal(false);

    await waitFor(
      async () => {
        const list = await api<{ deliveries: DeliveryBody[] }>(
          'GET',
          `/subscriptions/${created.body.id}/deliveries`,
        );
        return list.body.deliveries[0]?.status === 'delivered';
      },
      { what: 'the delivery recorded as delivered' },
    );
    const shown = await api<SubscriptionBody>('GET', `/subscriptions/${created.body.id}`);
    expect(shown.body).not.to.have.property('secret');
    const listed = await api<{ subscriptions: SubscriptionBody[] }>('GET', '/subscriptions');
    expect(listed.body.subscriptions.map((s) => s.id)).to.include(created.body.id);
    expect(listed.body.subscriptions.every((s) => !('secret' in s))).to.equal(true);
    expect((await api('DELETE', `/subscriptions/${created.body.id}`)).status).to.equal(204);
  });

  it('ACCEPTANCE: a failing receiver gets retries, then the subscription is disabled; enable resumes it', async () => {
    let failing = true;
    const hook = await receiver(() => (failing ? 503 : 200));
    const created = await api<SubscriptionBody>('POST', '/subscriptions', {
      url: hook.url,
      types: 'cluster.created',
      secret: 'my-own-secret-of-some-length',
    });
    expect(created.body.secret).to.equal('my-own-secret-of-some-length');
    const event = clusterCreated('failing receiver');
    await gateway.broker.publish(toMessage(event));

    await waitFor(
      async () => !(await api<SubscriptionBody>('GET', `/subscriptions/${created.body.id}`)).body.enabled,
      {
        what: 'the subscription disabled',
      },
    );
    const sub = (await api<SubscriptionBody>('GET', `/subscriptions/${created.body.id}`)).body;
    expect(sub.consecutiveFailures).to.equal(3);
    expect(sub.disabledReason).to.contain('3 consecutive failed deliveries').and.to.contain('HTTP 503');
    expect(hook.received).to.have.length(3);
    expect(hook.received.map((r) => r.headers['trendmill-delivery-attempt'])).to.deep.equal(['1', '2', '3']);
    expect(new Set(hook.received.map((r) => r.headers['trendmill-event-id']))).to.deep.equal(
      new Set([event.id]),
    );
    const [delivery] = (
      await api<{ deliveries: DeliveryBody[] }>('GET', `/subscriptions/${created.body.id}/deliveries`)
    ).body.deliveries;
    expect(delivery).to.deep.include({ status: 'pending', attempts: 3, lastStatus: 503 });
    expect(delivery!.lastError).to.contain('receiver says no');

    // Disabled: no more attempts, and new events are not queued for it.
    await gateway.dispatcher!.runOnce();
    expect(hook.received).to.have.length(3);

    failing = false;
    const enabled = await api<SubscriptionBody>('POST', `/subscriptions/${created.body.id}/enable`);
    expect(enabled.body).to.deep.include({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    await waitFor(() => hook.received.length === 4, { what: 'the pending delivery retried after enable' });
    await waitFor(async () => {
      const list = await api<{ deliveries: DeliveryBody[] }>(
        'GET',
        `/subscriptions/${created.body.id}/deliveries?status=delivered`,
      );
      return list.body.deliveries.length === 1;
    });
  });

  it('fails a delivery for good after maxAttempts', async () => {
    const other = await startReplica(db, {
      secretKey,
      dispatcher: { maxAttempts: 2, disableAfterFailures: 100 },
      eventLog: { consume: false },
    });
    closers.push(() => other.stop());
    const hook = await receiver(() => 500);
    const created = await api<SubscriptionBody>('POST', '/subscriptions', {
      url: hook.url,
      types: ['source.failed'],
    });
    // The main replica's dispatcher (maxAttempts 10) also runs: stop it from competing here.
    await gateway.dispatcher!.stop();
    await gateway.broker.publish(toMessage(sampleEvent(EVENT_TYPES.sourceFailed)));
    await waitFor(
      async () => {
        const list = await api<{ deliveries: DeliveryBody[] }>(
          'GET',
          `/subscriptions/${created.body.id}/deliveries?status=failed`,
        );
        return list.body.deliveries.length === 1;
      },
      { what: 'the delivery failed after two attempts' },
    );
    expect(hook.received).to.have.length(2);
  });

  it('refuses private and loopback webhook URLs without the allowlist', async () => {
    const strict = await startReplica(db, {
      secretKey,
      dispatcher: false,
      eventLog: { consume: false },
      ssrfAllowlist: [],
    });
    closers.push(() => strict.stop());
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://192.168.0.10/hook',
    ]) {
      const res = await fetch(`${strict.baseUrl}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, types: ['cluster.created'] }),
      });
      const body = (await res.json()) as ErrorBody;
      expect(res.status, url).to.equal(422);
      expect(body.error.code, url).to.equal('webhook_url_refused');
      expect(body.error.details![0]!.path).to.equal('url');
    }
  });

  it('refuses at delivery time a target that became private since registration', async () => {
    // Registered through an allowlisting replica; delivered by one without the allowlist.
    const hook = await receiver();
    const created = await api<SubscriptionBody>('POST', '/subscriptions', {
      url: hook.url,
      types: ['cluster.retired'],
    });
    const strict = await startReplica(db, {
      secretKey,
      eventLog: { consume: false },
      ssrfAllowlist: [],
      dispatcher: { maxAttempts: 5, disableAfterFailures: 100 },
    });
    closers.push(() => strict.stop());
    await gateway.dispatcher!.stop();
    await gateway.broker.publish(toMessage(sampleEvent(EVENT_TYPES.clusterRetired)));
    await waitFor(
      async () => {
        const list = await api<{ deliveries: DeliveryBody[] }>(
          'GET',
          `/subscriptions/${created.body.id}/deliveries`,
        );
        return list.body.deliveries[0]?.status === 'failed';
      },
      { what: 'the delivery refused by the guard' },
    );
    const [delivery] = (
      await api<{ deliveries: DeliveryBody[] }>('GET', `/subscriptions/${created.body.id}/deliveries`)
    ).body.deliveries;
    expect(delivery!.attempts).to.equal(1);
    expect(delivery!.lastError).to.contain('SSRF').and.to.contain('loopback');
    expect(hook.received).to.have.length(0);
  });

  it('keeps signing secrets sealed at rest: the column never holds the secret', async () => {
    const secret = 'my-own-signing-secret-0123456789';
    const hook = await receiver();
    const created = await api<SubscriptionBody>('POST', '/subscriptions', {
      url: hook.url,
      types: ['cluster.created'],
      secret,
    });
    expect(created.status).to.equal(201);
    expect(created.body.secret, 'shown once, at creation').to.equal(secret);
    const [row] = await db.sql.query<{ secret: string }>(
      `SELECT secret FROM ${db.schema}.webhook_subscriptions WHERE id = $1`,
      [created.body.id],
    );
    expect(row!.secret).to.match(/^v1\./).and.not.include(secret);
    const shown = await api<SubscriptionBody>('GET', `/subscriptions/${created.body.id}`);
    expect(JSON.stringify(shown.body)).to.not.include(secret);
    expect((await api('DELETE', `/subscriptions/${created.body.id}`)).status).to.equal(204);
  });

  it('validates subscriptions: 422 with field details, 404 subscription_not_found', async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: 'ftp://example.org/x', types: ['cluster.created'] }, 'invalid_webhook_url'],
      [{ url: 'https://user:pw@example.org/x', types: ['cluster.created'] }, 'invalid_webhook_url'],
      [{ url: 'https://example.org/x', types: ['cluster.exploded'] }, 'validation_failed'],
      [{ url: 'https://example.org/x', types: [] }, 'validation_failed'],
      [{ url: 'https://example.org/x', types: ['cluster.created'], secret: 'short' }, 'validation_failed'],
      [{ types: ['cluster.created'] }, 'validation_failed'],
      [{ url: 'https://example.org/x', types: ['cluster.created'], extra: 1 }, 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const res = await api<ErrorBody>('POST', '/subscriptions', body);
      expect(res.status, JSON.stringify(body)).to.equal(422);
      expect(res.body.error.code, JSON.stringify(body)).to.equal(code);
      expect(res.body.error.details, JSON.stringify(body)).to.be.an('array').that.is.not.empty;
    }
    for (const [method, path] of [
      ['GET', '/subscriptions/whk_nope'],
      ['DELETE', '/subscriptions/whk_nope'],
      ['POST', '/subscriptions/whk_nope/enable'],
      ['GET', '/subscriptions/whk_nope/deliveries'],
    ] as const) {
      const res = await api<ErrorBody>(method, path);
      expect(res.status, `${method} ${path}`).to.equal(404);
      expect(res.body.error.code).to.equal('subscription_not_found');
    }
    const badJson = await fetch(`${gateway.baseUrl}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(badJson.status).to.equal(400);
    expect(((await badJson.json()) as ErrorBody).error.code).to.equal('invalid_json');
  });
});
