import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { runService, type ProcessHost } from './lifecycle.js';

function fakeHost() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let exited: (code: number) => void = () => undefined;
  const exitedOnce = new Promise<number>((resolve) => (exited = resolve));
  const host: ProcessHost & { emit(event: string, value?: unknown): boolean } = {
    on: ((event: string, listener: (value: unknown) => void) =>
      emitter.on(event, listener)) as ProcessHost['on'],
    emit: (event, value) => emitter.emit(event, value ?? event),
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
  };
  return { host, exits, exitedOnce };
}

function fakeLogger() {
  const entries: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) =>
    void entries.push({ level, message, ...(meta ? { meta } : {}) });
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, entries };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('runService', () => {
  it('stops gracefully on SIGTERM, letting in-flight work finish, then exits 0', async () => {
    const { host, exits, exitedOnce } = fakeHost();
    const { logger, entries } = fakeLogger();
    const events: string[] = [];
    let inFlight: Promise<void> | undefined;
    await runService({
      name: 'normalizer',
      logger,
      host,
      start: async () => {
        events.push('started');
        inFlight = tick(30).then(() => void events.push('job finished'));
      },
      stop: async () => {
        await inFlight;
        events.push('stopped');
      },
    });
    host.emit('SIGTERM');
    expect(await exitedOnce).to.equal(0);
    expect(events).to.deep.equal(['started', 'job finished', 'stopped']);
    expect(exits).to.deep.equal([0]);
    expect(entries.map((e) => e.message)).to.deep.equal([
      'normalizer started',
      'normalizer shutting down',
      'normalizer stopped',
    ]);
  });

  it('stops once however many signals arrive, and a second signal forces the exit', async () => {
    const { host, exits } = fakeHost();
    const { logger } = fakeLogger();
    let stops = 0;
    await runService({
      name: 'embedder',
      logger,
      host,
      start: async () => undefined,
      stop: async () => {
        stops++;
        await tick(50);
      },
    });
    host.emit('SIGINT');
    host.emit('SIGTERM');
    expect(exits).to.deep.equal([143]);
    await tick(80);
    expect(stops).to.equal(1);
    expect(exits).to.deep.equal([143]);
  });

  it('exits 1 when stop does not finish within the timeout', async () => {
    const { host, exitedOnce } = fakeHost();
    const { logger, entries } = fakeLogger();
    await runService({
      name: 'clusterer',
      logger,
      host,
      shutdownTimeoutMs: 20,
      start: async () => undefined,
      stop: () => new Promise(() => undefined),
    });
    host.emit('SIGTERM');
    expect(await exitedOnce).to.equal(1);
    expect(entries.at(-1)?.message).to.equal('clusterer did not stop within 20 ms; exiting anyway');
  });

  it('exits 1 when stop fails', async () => {
    const { host, exitedOnce } = fakeHost();
    const { logger, entries } = fakeLogger();
    await runService({
      name: 'query',
      logger,
      host,
      start: async () => undefined,
      stop: async () => {
        throw new Error('pool already closed');
      },
    });
    host.emit('SIGTERM');
    expect(await exitedOnce).to.equal(1);
    expect(entries.at(-1)).to.deep.include({ level: 'error', message: 'query failed to stop cleanly' });
  });

  it('cleans up and exits 1 when start fails', async () => {
    const { host, exits } = fakeHost();
    const { logger, entries } = fakeLogger();
    let stopped = false;
    await runService({
      name: 'gateway',
      logger,
      host,
      start: async () => {
        throw new Error('port in use');
      },
      stop: async () => void (stopped = true),
    });
    expect(exits).to.deep.equal([1]);
    expect(stopped).to.equal(true);
    expect(entries[0]).to.deep.include({ level: 'error', message: 'gateway failed to start' });
  });

  it('waits for a start in progress before stopping on an early signal', async () => {
    const { host, exitedOnce } = fakeHost();
    const { logger } = fakeLogger();
    const events: string[] = [];
    const running = runService({
      name: 'collector',
      logger,
      host,
      start: async () => {
        await tick(20);
        events.push('started');
      },
      stop: async () => void events.push('stopped'),
    });
    await tick(1);
    host.emit('SIGTERM');
    expect(await exitedOnce).to.equal(0);
    await running;
    expect(events).to.deep.equal(['started', 'stopped']);
  });

  it('logs an uncaught error and exits non-zero', async () => {
    const { host, exitedOnce } = fakeHost();
    const { logger, entries } = fakeLogger();
    await runService({
      name: 'normalizer',
      logger,
      host,
      start: async () => undefined,
      stop: async () => undefined,
    });
    const boom = new Error('boom');
    host.emit('uncaughtException', boom);
    expect(await exitedOnce).to.equal(1);
    expect(entries.at(-1)).to.deep.equal({
      level: 'error',
      message: 'normalizer crashed: uncaught exception',
      meta: { err: boom },
    });
  });

  it('reports only the first of several crashes and exits 1 once', async () => {
    const { host, exits, exitedOnce } = fakeHost();
    const { logger, entries } = fakeLogger();
    await runService({
      name: 'gateway',
      logger,
      host,
      start: async () => undefined,
      stop: async () => undefined,
    });
    host.emit('uncaughtException', new Error('connection terminated'));
    host.emit('unhandledRejection', new Error('and again'));
    expect(await exitedOnce).to.equal(1);
    await tick();
    expect(exits).to.deep.equal([1]);
    expect(entries.filter((e) => e.level === 'error').map((e) => e.message)).to.deep.equal([
      'gateway crashed: uncaught exception',
    ]);
  });
});
