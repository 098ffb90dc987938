import { expect } from 'chai';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import {
  clusterCreated,
  migrateGateway,
  openSse,
  sampleEvent,
  startReplica,
  toMessage,
  type GatewayReplica,
} from './harness.js';

describe('gateway SSE stream over the event log (PostgreSQL)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let gateway: GatewayReplica;
  const open: Array<{ close(): Promise<void> }> = [];

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwsse' });
    await migrateGateway(db);
    gateway = await startReplica(db, { dispatcher: false, heartbeatMs: 200 });
  });
  afterEach(async () => {
    for (const client of open.splice(0)) await client.close();
  });
  after(async () => {
    await gateway?.stop();
    await db?.cleanup();
  });

  const sse = async (path: string, headers: Record<string, string> = {}) => {
    const client = await openSse(`${gateway.baseUrl}${path}`, headers);
    open.push(client);
    return client;
  };

  it('streams events as they are consumed: id = sequence, event = type, data = the CloudEvent', async () => {
    const client = await sse('/stream?types=cluster.created');
    expect(client.response.status).to.equal(200);
    expect(client.response.headers.get('content-type')).to.match(/^text\/event-stream/);
    const event = clusterCreated('vector databases');
    await gateway.broker.publish([toMessage(sampleEvent(EVENT_TYPES.itemCollected)), toMessage(event)]);
    await waitFor(() => client.messages.length === 1, { what: 'one cluster.created on the stream' });
    const [message] = client.messages;
    expect(message!.event).to.equal(EVENT_TYPES.clusterCreated);
    expect(Number(message!.id)).to.be.greaterThan(0);
    expect(JSON.parse(message!.data)).to.deep.equal(JSON.parse(JSON.stringify(event)));
  });

  it('ACCEPTANCE: a client that disconnects and reconnects with Last-Event-ID misses nothing', async () => {
    const first = await sse('/stream?types=trendmill.cluster.created.v1,cluster.updated');
    const before = Array.from({ length: 5 }, (_, i) => clusterCreated(`before ${i}`));
    await gateway.broker.publish(before.map(toMessage));
    await waitFor(() => first.messages.length === 5, { what: 'five events before the disconnect' });
    const lastSeen = first.messages[4]!.id!;
    await first.close();

    // While the client is away: matching events, and others it did not ask for.
    const during = Array.from({ length: 7 }, (_, i) => clusterCreated(`during ${i}`));
    await gateway.broker.publish([
      ...during.map(toMessage),
      toMessage(sampleEvent(EVENT_TYPES.itemNormalized)),
      toMessage(sampleEvent(EVENT_TYPES.clusterUpdated)),
    ]);
    await waitFor(async () => (await gateway.eventLog.read(Number(lastSeen), [], 100)).length === 9, {
      what: 'the events published while away to be logged',
    });

    const resumed = await sse('/stream?types=cluster.created,cluster.updated', { 'last-event-id': lastSeen });
    const after = Array.from({ length: 3 }, (_, i) => clusterCreated(`after ${i}`));
    await gateway.broker.publish(after.map(toMessage));
    await waitFor(() => resumed.messages.length === 11, { what: '7 missed + 1 update + 3 new events' });
    const ids = resumed.messages.map((m) => (JSON.parse(m.data) as { id: string }).id);
    // Consumers run in parallel, so the log's order among one batch is its commit order, not publish order.
    expect(ids.filter((id) => during.some((e) => e.id === id)).sort()).to.deep.equal(
      during.map((e) => e.id).sort(),
    );
    expect(ids.slice(-3).sort()).to.deep.equal(after.map((e) => e.id).sort());
    expect(resumed.messages.map((m) => m.event)).to.include(EVENT_TYPES.clusterUpdated);
    expect(resumed.messages.map((m) => m.event)).not.to.include(EVENT_TYPES.itemNormalized);
    const seqs = resumed.messages.map((m) => Number(m.id));
    expect(seqs[0]).to.be.greaterThan(Number(lastSeen));
    expect([...seqs].sort((a, b) => a - b)).to.deep.equal(seqs);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('resumes from ?lastEventId= as well, and pages through a long backlog', async () => {
    const head = gateway.eventLog.head;
    const backlog = Array.from({ length: 700 }, (_, i) => clusterCreated(`backlog ${i}`));
    for (let i = 0; i < backlog.length; i += 200)
      await gateway.broker.publish(backlog.slice(i, i + 200).map(toMessage));
    await waitFor(() => gateway.eventLog.head >= head + 700, { timeoutMs: 20_000, what: 'backlog logged' });
    const client = await sse(`/stream?types=cluster.created&lastEventId=${head}`);
    await waitFor(() => client.messages.length === 700, { timeoutMs: 20_000, what: 'the whole backlog' });
    const ids = new Set(client.messages.map((m) => (JSON.parse(m.data) as { id: string }).id));
    expect(backlog.every((e) => ids.has(e.id))).to.equal(true);
  });

  it('sends heartbeat comments to keep idle streams open', async () => {
    const client = await sse('/stream');
    await waitFor(() => client.comments.some((c) => c.startsWith('heartbeat')), { what: 'a heartbeat' });
  });

  it('answers 422 validation_failed for unknown types and a malformed Last-Event-ID', async () => {
    const unknown = await fetch(`${gateway.baseUrl}/stream?types=cluster.created,cluster.exploded`);
    expect(unknown.status).to.equal(422);
    const body = (await unknown.json()) as {
      error: { code: string; details: Array<{ path: string; message: string }> };
    };
    expect(body.error.code).to.equal('validation_failed');
    expect(body.error.details[0]!.path).to.equal('types');
    expect(body.error.details[0]!.message).to.contain('cluster.exploded');
    const badId = await fetch(`${gateway.baseUrl}/stream`, { headers: { 'last-event-id': 'abc' } });
    expect(badId.status).to.equal(422);
  });

  it('serves the event history to admins, filtered and paged', async () => {
    const res = await fetch(`${gateway.baseUrl}/admin/events?types=item.collected&after=0&limit=1`);
    expect(res.status).to.equal(200);
    const page = (await res.json()) as {
      events: Array<{ seq: number; type: string; event: { id: string } }>;
      next?: number;
    };
    expect(page.events).to.have.length(1);
    expect(page.events[0]!.type).to.equal(EVENT_TYPES.itemCollected);
    expect(page.next).to.equal(page.events[0]!.seq);
    const bad = await fetch(`${gateway.baseUrl}/admin/events?limit=0`);
    expect(bad.status).to.equal(422);
  });

  it('logs each event once however often the broker redelivers it', async () => {
    const event = clusterCreated('redelivered');
    await gateway.broker.publish([toMessage(event), toMessage(event)]);
    await waitFor(async () =>
      (await gateway.eventLog.read(0, [EVENT_TYPES.clusterCreated], 10_000)).some((e) => e.id === event.id),
    );
    await gateway.eventLog.append(event);
    const all = await gateway.eventLog.read(0, [EVENT_TYPES.clusterCreated], 10_000);
    expect(all.filter((e) => e.id === event.id)).to.have.length(1);
  });

  it('dead-letters an event that does not match its schema, with the reason', async () => {
    const bad = { ...toMessage(clusterCreated('x')), body: Buffer.from('{"specversion":"1.0"}') };
    await gateway.broker.publish(bad);
    await waitFor(async () => (await gateway.broker.deadLetters.depth('gateway')) >= 1, {
      what: 'dead letter',
    });
    const [letter] = await gateway.broker.deadLetters.list({ group: 'gateway' });
    expect(letter!.reason).to.contain('envelope');
  });
});
