import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { EVENT_TYPES, eventCatalog } from '@trendmill/shared-contracts';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { NormalizerHarness, collectedMessage } from '../harness.js';

// The normalizer service fed hostile item.collected messages over the in-memory broker: random
// bytes, JSON that is not an envelope, envelopes of unknown versions, and valid envelopes whose
// data holds strange values. Every message must end either as an outgoing event for its item or
// as a dead letter with a reason; none may be lost, retried forever, or take the service down.

const BATCH = 60;
const example = eventCatalog[EVENT_TYPES.itemCollected].example;

const strange = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '<script>x()</script>', '&amp;'.repeat(200), '\u0000', 'x'.repeat(20_000)),
);

const field = fc.constantFrom('title', 'content', 'summary', 'url', 'author', 'publishedAt', 'language');

type Hostile =
  { kind: 'raw'; body: Buffer } | { kind: 'data'; data: Record<string, unknown> } | { kind: 'v2' };

const hostile: fc.Arbitrary<Hostile> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'raw' as const, body: Buffer.from(bytes) })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: 'raw' as const, body: Buffer.from(JSON.stringify(v)) })),
  fc.constant({ kind: 'v2' as const }),
  fc
    .dictionary(field, strange, { minKeys: 1, maxKeys: 4 })
    .map((fields) => ({ kind: 'data' as const, data: { ...example, ...fields } })),
);

describe('normalizer fuzz: hostile item.collected events end as output or as a dead letter with a reason', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let h: NormalizerHarness;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'normfuzz' });
    h = new NormalizerHarness(db);
    await h.recordOutputs();
    await h.startService();
  });
  after(async () => {
    await h?.stopServices();
    await h?.broker.close();
    await db?.close();
  });

  it(`accounts for every one of ${BATCH} hostile messages`, async () => {
    const messageIds: string[] = [];
    const itemIds = new Set<string>();
    const published: Array<Promise<void>> = [];
    fc.sample(hostile, BATCH).forEach((input, n) => {
      const id = randomUUID();
      messageIds.push(id);
      if (input.kind === 'raw') {
        published.push(h.broker.publish({ id, type: EVENT_TYPES.itemCollected, key: 'k', body: input.body }));
        return;
      }
      const itemId = `item-fuzz-${n}`;
      // Data that the schema refuses cannot be built with createEvent: wrap it by hand.
      const valid = collectedMessage({ ...example, itemId }, id);
      const envelope = JSON.parse(valid.body.toString()) as Record<string, unknown>;
      if (input.kind === 'v2') envelope.type = 'trendmill.item.collected.v2';
      else envelope.data = { ...input.data, itemId };
      itemIds.add(itemId);
      published.push(h.broker.publish({ ...valid, body: Buffer.from(JSON.stringify(envelope)) }));
    });
    await Promise.all(published);

    const settled = async () => {
      const dead = await h.broker.deadLetters.list({ group: 'normalizer', limit: 10_000 });
      const deadIds = new Set(dead.map((d) => d.id));
      const answered = new Set(h.emitted.map((e) => String(e.data.itemId)));
      return messageIds.every((id, n) => deadIds.has(id) || answered.has(`item-fuzz-${n}`));
    };
    await waitFor(settled, { what: 'every hostile message handled or dead-lettered', timeoutMs: 45_000 });

    const dead = await h.broker.deadLetters.list({ group: 'normalizer', limit: 10_000 });
    // A refusal of the input itself, not a database or code error retried until it gave up.
    for (const letter of dead) expect(letter.reason, letter.id).to.match(/^PermanentFailure: .+/);
    const reasons = dead.map((d) => d.reason).join('\n');
    if (process.env.FUZZ_DEBUG) console.log(reasons);
    if (dead.some((d) => JSON.parse(safeJson(d.body))?.type === 'trendmill.item.collected.v2'))
      expect(reasons).to.contain('unknown event type or version "trendmill.item.collected.v2"');
    for (const out of h.emitted) expect(itemIds.has(String(out.data.itemId))).to.equal(true);
  });

  it('normalizes an item whose text carries NUL and other control characters (PostgreSQL text refuses NUL)', async () => {
    await h.broker.publish(
      collectedMessage({
        ...example,
        itemId: 'item-nul',
        url: 'https://example.org/a-story-of-its-own',
        title: 'nul\u0000 in \u0007the title',
        content: '<p>and\u0000 in the body</p>',
        author: 'a\u0000b',
      }),
    );
    await waitFor(
      async () =>
        h.emitted.some((e) => e.data.itemId === 'item-nul') ||
        (await h.broker.deadLetters.list({ group: 'normalizer', limit: 10_000 })).some((d) =>
          d.body.toString().includes('item-nul'),
        ),
      { what: 'item-nul handled' },
    );
    const [out] = h.of(EVENT_TYPES.itemNormalized, 'item-nul');
    expect(out, 'normalized, not dead-lettered').to.not.equal(undefined);
    expect(JSON.stringify(out!.data)).to.not.contain('\\u0000');
  });

  it('still normalizes a good item after the hostile batch', async () => {
    const before = h.emitted.length;
    await h.broker.publish(collectedMessage({ ...example, itemId: 'item-after-fuzz' }));
    await waitFor(async () => h.emitted.length > before, { what: 'the good item handled' });
    expect(h.emitted.at(-1)!.data.itemId).to.equal('item-after-fuzz');
  });
});

function safeJson(body: Buffer): string {
  try {
    JSON.parse(body.toString());
    return body.toString();
  } catch {
    return 'null';
  }
}
