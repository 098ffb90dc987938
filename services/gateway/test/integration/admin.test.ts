import { expect } from 'chai';
import { PermanentFailure } from '@trendmill/platform';
import { waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, serializeEvent } from '@trendmill/shared-contracts';
import { GatewayHarness } from './harness.js';

describe('gateway admin API (dead letters, queues, status, feature flags)', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start({ settings: { queueGroups: ['victim', 'gateway-cache'] } });
  });
  after(async () => {
    await h?.stop();
  });

  it('lists dead letters with their reasons and replays them to their queue', async () => {
    let failing = true;
    const handled: string[] = [];
    await h.broker.subscribe(
      { group: 'victim', types: [EVENT_TYPES.sourceFailed], maxAttempts: 1 },
      async (m) => {
        if (failing) throw new PermanentFailure('cannot handle this one');
        handled.push(m.id);
      },
    );
    const event = createEvent(
      EVENT_TYPES.sourceFailed,
      {
        sourceId: 's1',
        sourceType: 'rss',
        consecutiveFailures: 5,
        lastError: 'boom',
        failedAt: '2026-12-01T00:00:00.000Z',
      },
      { source: '/test', subject: 's1' },
    );
    await h.broker.publish({ id: event.id, type: event.type, key: 's1', body: serializeEvent(event) });
    await waitFor(async () => (await h.broker.deadLetters.depth('victim')) === 1);

    const listed = await h.call('GET', '/api/v1/admin/dlq?group=victim');
    expect(listed.status).to.equal(200);
    expect(listed.body.deadLetters).to.have.length(1);
    expect(listed.body.deadLetters[0]).to.include({
      id: event.id,
      group: 'victim',
      type: EVENT_TYPES.sourceFailed,
    });
    expect(listed.body.deadLetters[0].reason).to.include('cannot handle this one');
    expect(listed.body.deadLetters[0].body.id, 'the event is shown parsed').to.equal(event.id);

    const queues = await h.call('GET', '/api/v1/admin/queues');
    expect(queues.body.transport).to.equal('memory');
    expect(queues.body.queues.find((q: { group: string }) => q.group === 'victim')).to.include({
      deadLetters: 1,
    });

    failing = false;
    const replayed = await h.call('POST', '/api/v1/admin/dlq/replay', {
      body: { group: 'victim', ids: [event.id] },
    });
    expect(replayed.body).to.deep.equal({ replayed: 1 });
    await waitFor(() => handled.includes(event.id));
    expect((await h.call('GET', '/api/v1/admin/dlq?group=victim')).body.deadLetters).to.deep.equal([]);
  });

  it('validates admin input (422) and keeps it admin-only (403)', async () => {
    const bad = await h.call('GET', '/api/v1/admin/dlq?group=Not%20A%20Group&limit=0');
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members([
      'group',
      'limit',
    ]);
    const replay = await h.call('POST', '/api/v1/admin/dlq/replay', { body: { ids: 'x' } });
    expect(replay.status).to.equal(422);
    expect((await h.call('GET', '/api/v1/admin/queues', { key: 'write' })).status).to.equal(403);
  });

  it('reports broker, queues, database pool and cache in /admin/status', async () => {
    const res = await h.call('GET', '/api/v1/admin/status');
    expect(res.status).to.equal(200);
    expect(res.body.broker).to.deep.equal({ transport: 'memory', ready: true });
    expect(res.body.database).to.include({ backend: 'postgres', reachable: true, schema: h.db.schema });
    expect(res.body.database.pool.max).to.be.a('number');
    expect(res.body.responseCache).to.deep.equal({ kind: 'memory' });
    expect(res.body.embedder).to.equal(null);
  });

  it('creates, reads, replaces, lists and deletes feature flags', async () => {
    const created = await h.call('PUT', '/api/v1/admin/flags/dashboard.beta', {
      body: { enabled: true, description: 'new dashboard', value: { percent: 10 } },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ key: 'dashboard.beta', enabled: true });
    const replaced = await h.call('PUT', '/api/v1/admin/flags/dashboard.beta', { body: { enabled: false } });
    expect(replaced.status).to.equal(200);
    expect(replaced.body).to.include({ enabled: false, description: '' });
    expect(replaced.body.value).to.equal(null);
    expect((await h.call('GET', '/api/v1/admin/flags/dashboard.beta')).body.enabled).to.equal(false);
    const listed = await h.call('GET', '/api/v1/admin/flags');
    expect(listed.body.flags.map((f: { key: string }) => f.key)).to.deep.equal(['dashboard.beta']);
    const read = await h.call('GET', '/api/v1/flags', { key: 'read' });
    expect(read.body.flags).to.deep.equal({ 'dashboard.beta': { enabled: false, value: null } });
    expect((await h.call('DELETE', '/api/v1/admin/flags/dashboard.beta')).status).to.equal(204);
    const missing = await h.call('GET', '/api/v1/admin/flags/dashboard.beta');
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('flag_not_found');
    expect((await h.call('DELETE', '/api/v1/admin/flags/dashboard.beta')).status).to.equal(404);
  });

  it('refuses malformed flag keys and bodies with 422', async () => {
    const res = await h.call('PUT', '/api/v1/admin/flags/Bad%20Key', { body: { enabled: 'yes' } });
    expect(res.status).to.equal(422);
    const where = res.body.error.details.map((d: { in: string; path: string }) => `${d.in}:${d.path}`);
    expect(where).to.include('params:key');
  });
});
