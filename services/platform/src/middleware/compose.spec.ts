import { expect } from 'chai';
import type { MessageHandler, ReceivedMessage } from '../broker/port.js';
import { compose, type Middleware } from './compose.js';

const message: ReceivedMessage = {
  id: 'e-1',
  type: 'trendmill.item.collected.v1',
  key: undefined,
  headers: {},
  body: Buffer.from('{}'),
  attempt: 1,
  group: 'normalizer',
};

describe('compose', () => {
  it('runs the first middleware outermost, around the handler', async () => {
    const trail: string[] = [];
    const around =
      (name: string): Middleware =>
      (next) =>
      async (m) => {
        trail.push(`${name}>`);
        await next(m);
        trail.push(`<${name}`);
      };
    const handler: MessageHandler = async () => void trail.push('handler');
    await compose(around('a'), around('b'), around('c'))(handler)(message);
    expect(trail).to.deep.equal(['a>', 'b>', 'c>', 'handler', '<c', '<b', '<a']);
  });

  it('lets a middleware replace the message the next one sees', async () => {
    let seen: ReceivedMessage | undefined;
    const bump: Middleware = (next) => (m) => next({ ...m, attempt: m.attempt + 1 });
    await compose(bump, bump)(async (m) => void (seen = m))(message);
    expect(seen?.attempt).to.equal(3);
  });

  it('is the handler itself with no middleware, and passes errors through', async () => {
    const handler: MessageHandler = async () => {
      throw new Error('nack');
    };
    expect(compose()(handler)).to.equal(handler);
    const err = await compose((next) => next)(handler)(message).catch((e: Error) => e);
    expect((err as Error).message).to.equal('nack');
  });
});
