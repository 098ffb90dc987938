import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { runWithContext } from './context.js';
import { createLogger } from './logger.js';
import type { LogLevel } from './config.js';

function capture(level: LogLevel = 'info') {
  const stream = new PassThrough();
  // Log lines are JSON of any shape; tests read nested fields directly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const lines: Record<string, any>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  const logger = createLogger('normalizer', level, { stream });
  // Winston hands lines to its transport asynchronously.
  const settled = () => new Promise((r) => setImmediate(r));
  return { logger, lines, settled };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, level, message and time', async () => {
    const { logger, lines, settled } = capture();
    logger.info('item normalized', { itemId: 'i-1' });
    await settled();
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      service: 'normalizer',
      level: 'info',
      message: 'item normalized',
      itemId: 'i-1',
    });
    expect(Date.parse(lines[0]!.timestamp)).to.be.a('number').and.not.NaN;
  });

  it('stamps lines with the correlation and trace of the current context', async () => {
    const { logger, lines, settled } = capture();
    await runWithContext(
      { correlationId: 'corr-1', eventId: 'evt-1', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) },
      async () => {
        await settled();
        logger.info('inside');
      },
    );
    logger.info('outside');
    await settled();
    expect(lines[0]).to.include({
      correlationid: 'corr-1',
      eventid: 'evt-1',
      trace_id: 'a'.repeat(32),
      span_id: 'b'.repeat(16),
    });
    expect(lines[1]).to.not.have.any.keys('correlationid', 'eventid', 'trace_id', 'span_id');
  });

  it('never writes secrets: secret-named fields, URL passwords, errors', async () => {
    const { logger, lines, settled } = capture();
    logger.info('connecting to amqp://guest:guest@mq:5672', {
      password: 'p4ss',
      headers: { authorization: 'Bearer abc', accept: 'json' },
      apiKey: 'k-1',
      databaseUrl: 'postgres://app:hunter2@db/trendmill',
    });
    logger.error('failed', { err: new Error('login failed for redis://:topsecret@cache:6379') });
    await settled();
    const text = JSON.stringify(lines);
    for (const secret of ['p4ss', 'Bearer abc', 'k-1', 'hunter2', 'topsecret', 'guest:guest'])
      expect(text).to.not.include(secret);
    expect(lines[0]).to.deep.include({
      message: 'connecting to amqp://guest:***@mq:5672',
      password: '[REDACTED]',
      apiKey: '[REDACTED]',
      headers: { authorization: '[REDACTED]', accept: 'json' },
      databaseUrl: 'postgres://app:***@db/trendmill',
    });
    expect(lines[1]!.err.message).to.equal('login failed for redis://:***@cache:6379');
    expect(lines[1]!.err.stack).to.be.a('string');
  });

  it('drops lines below its level', async () => {
    const { logger, lines, settled } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    await settled();
    expect(lines.map((l) => l.message)).to.deep.equal(['loud']);
  });
});
