import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { GatewayHarness } from './harness.js';

// Success paths that the area tests reach only without the gateway's keys (the subscription
// routes are exercised on a bare router in subscriptions/*) or not at all (poll): here through
// the whole gateway, each with the least scope its route needs.

describe('gateway success paths through keys and scopes (subscriptions, poll)', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start({ settings: { subscriptions: true, webhookAllowlist: ['127.0.0.1/32'] } });
  });
  after(async () => {
    await h?.stop();
  });

  it('creates, reads, lists, enables and deletes a webhook subscription with write and read keys', async () => {
    const created = await h.call('POST', '/api/v1/subscriptions', {
      key: 'write',
      body: { url: 'http://127.0.0.1:9/hook', types: 'cluster.created,cluster.merged' },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body.secret).to.match(/^whsec_/);
    expect(created.headers.get('location')).to.equal(`subscriptions/${created.body.id}`);
    expect(created.body.types).to.deep.equal([EVENT_TYPES.clusterCreated, EVENT_TYPES.clusterMerged]);
    const id = created.body.id as string;

    const shown = await h.call('GET', `/api/v1/subscriptions/${id}`, { key: 'read' });
    expect(shown.status).to.equal(200);
    expect(shown.body).to.include({ id, enabled: true }).and.not.have.property('secret');
    const listed = await h.call('GET', '/api/v1/subscriptions', { key: 'read' });
    expect(listed.body.subscriptions.map((s: { id: string }) => s.id)).to.deep.equal([id]);
    const deliveries = await h.call('GET', `/api/v1/subscriptions/${id}/deliveries?status=failed`, {
      key: 'read',
    });
    expect(deliveries.status).to.equal(200);
    expect(deliveries.body.deliveries).to.deep.equal([]);
    const enabled = await h.call('POST', `/api/v1/subscriptions/${id}/enable`, { key: 'write' });
    expect(enabled.status).to.equal(200);
    expect(enabled.body).to.include({ id, enabled: true, consecutiveFailures: 0 });
    expect((await h.call('DELETE', `/api/v1/subscriptions/${id}`, { key: 'write' })).status).to.equal(204);
    expect((await h.call('GET', `/api/v1/subscriptions/${id}`, { key: 'read' })).status).to.equal(404);
  });

  it('serves the event history to an admin key and the stream to a read key', async () => {
    const source = await h.call('POST', '/api/v1/ingest', { key: 'write', body: { title: 'history entry' } });
    expect(source.status, JSON.stringify(source.body)).to.be.oneOf([200, 202]);
    await waitFor(
      async () =>
        (await h.call('GET', '/api/v1/admin/events?types=item.collected', { key: 'admin' })).body.events
          .length > 0,
      { what: 'the collected item in the event history' },
    );
    const page = await h.call('GET', '/api/v1/admin/events?types=item.collected&limit=1', { key: 'admin' });
    expect(page.status).to.equal(200);
    expect(page.body.events[0].type).to.equal(EVENT_TYPES.itemCollected);
    expect(page.body.next).to.equal(page.body.events[0].seq);

    const controller = new AbortController();
    const stream = await fetch(`${h.baseUrl}/api/v1/stream?types=item.collected&lastEventId=0`, {
      headers: { authorization: `Bearer ${h.keys.read}` },
      signal: controller.signal,
    });
    expect(stream.status).to.equal(200);
    expect(stream.headers.get('content-type')).to.match(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('data: ')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).to.include(`event: ${EVENT_TYPES.itemCollected}`);
    controller.abort();
  });

  it('polls a source on demand with a write key', async () => {
    const created = await h.call('POST', '/api/v1/sources', {
      key: 'write',
      body: { type: 'hackernews', list: 'new' },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const polled = await h.call('POST', `/api/v1/sources/${created.body.id}/poll`, { key: 'write' });
    expect(polled.status, JSON.stringify(polled.body)).to.equal(200);
    // No network here: the poll runs and reports its failed fetch in the summary (the route's success shape).
    expect(polled.body).to.include({ sourceId: created.body.id, itemsFound: 0 });
    expect(polled.body.outcome).to.be.a('string');
    expect(polled.body.nextPollAt).to.be.a('string');
    const fetches = await h.call('GET', `/api/v1/sources/${created.body.id}/fetches`, { key: 'read' });
    expect(fetches.body.fetches, 'the poll is in the fetch log').to.have.length(1);
  });
});
