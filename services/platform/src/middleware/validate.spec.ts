import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { PermanentFailure } from '../broker/errors.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import type { ReceivedMessage } from '../broker/port.js';
import { waitFor } from '../testing/wait-for.js';
import { eventOf, toMessageHandler, validateEvents, type ParseEvent } from './validate.js';

interface TestEvent {
  id: string;
  type: string;
  data: { title: string };
}

let parses = 0;
const parse: ParseEvent<TestEvent> = (body) => {
  parses++;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON', code: 'malformed_json' };
  }
  const event = value as Partial<TestEvent>;
  if (typeof event.data?.title !== 'string')
    return { ok: false, reason: 'data.title: expected string', code: 'invalid_data' };
  return { ok: true, event: event as TestEvent };
};

const received = (body: string): ReceivedMessage => ({
  id: 'e-1',
  type: 'trendmill.item.collected.v1',
  key: undefined,
  headers: {},
  body: Buffer.from(body),
  attempt: 1,
  group: 'normalizer',
});
const valid = JSON.stringify({ id: 'e-1', type: 'trendmill.item.collected.v1', data: { title: 'hello' } });

describe('validateEvents', () => {
  beforeEach(() => (parses = 0));

  it('hands the parsed event on with the message', async () => {
    let seen: ReceivedMessage | undefined;
    await validateEvents(parse)(async (m) => void (seen = m))(received(valid));
    expect(eventOf<TestEvent>(seen!)?.data.title).to.equal('hello');
    expect(seen).to.include({ id: 'e-1', group: 'normalizer', attempt: 1 });
  });

  it('rejects an invalid event with PermanentFailure carrying the reason and code', async () => {
    let called = false;
    const err = await validateEvents(parse)(async () => void (called = true))(received('{"data":{}}')).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PermanentFailure);
    expect(err).to.include({ message: 'data.title: expected string', code: 'invalid_data' });
    expect(called).to.equal(false);
  });

  it('treats a parser that throws as a permanent failure too', async () => {
    const throwing: ParseEvent<never> = () => {
      throw new RangeError('stack overflow in parser');
    };
    const err = await validateEvents(throwing)(async () => undefined)(received(valid)).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PermanentFailure);
    expect(err).to.include({ code: 'parse_error' });
    expect((err as Error).message).to.include('RangeError: stack overflow in parser');
  });

  it('makes the adapter dead-letter an invalid event on its first attempt', async () => {
    const broker = new MemoryBroker(`validate-${randomUUID()}`);
    let handled = 0;
    await broker.subscribe(
      { group: 'normalizer', types: ['trendmill.item.collected.v1'], maxAttempts: 5 },
      validateEvents(parse)(async () => void handled++),
    );
    await broker.publish({ id: 'bad-1', type: 'trendmill.item.collected.v1', body: Buffer.from('not json') });
    await waitFor(async () => (await broker.deadLetters.depth('normalizer')) === 1, { what: 'dead letter' });
    const [dead] = await broker.deadLetters.list({ group: 'normalizer' });
    expect(dead).to.include({ id: 'bad-1', attempts: 1, reason: 'PermanentFailure: body is not JSON' });
    expect(handled).to.equal(0);
    await broker.close();
  });
});

describe('toMessageHandler', () => {
  beforeEach(() => (parses = 0));

  it('calls the event handler with the parsed event and the message', async () => {
    const seen: string[] = [];
    const handler = toMessageHandler(
      parse,
      async (event, message) => void seen.push(`${message.id}:${event.data.title}`),
    );
    await handler(received(valid));
    expect(seen).to.deep.equal(['e-1:hello']);
    const err = await handler(received('[]')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentFailure);
    expect(seen).to.have.length(1);
  });

  it('reuses the event validateEvents attached instead of parsing again', async () => {
    let title = '';
    const handler = validateEvents(parse)(
      toMessageHandler(parse, async (event) => void (title = event.data.title)),
    );
    await handler(received(valid));
    expect(title).to.equal('hello');
    expect(parses).to.equal(1);
  });
});
