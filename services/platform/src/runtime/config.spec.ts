import { expect } from 'chai';
import { z } from 'zod';
import { ConfigError, baseConfig, exitOnConfigError, loadConfig } from './config.js';

const valid = {
  SERVICE_NAME: 'normalizer',
  BROKER_URL: 'amqp://guest:guest@localhost:5672',
  DATABASE_URL: 'postgres://trendmill@127.0.0.1:5432/trendmill',
};

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns typed values with defaults and ignores other variables', () => {
    const config = loadConfig(baseConfig, { ...valid, HOME: '/root' });
    expect(config).to.deep.equal({ ...valid, LOG_LEVEL: 'info', HTTP_PORT: 9464 });
  });

  it('accepts every broker scheme and pglite data directories', () => {
    for (const BROKER_URL of ['memory://', 'memory://bus-1', 'amqps://u:p@mq', 'kafka://k1:9092,k2:9092'])
      expect(loadConfig(baseConfig, { ...valid, BROKER_URL }).BROKER_URL).to.equal(BROKER_URL);
    expect(loadConfig(baseConfig, { ...valid, DATABASE_URL: 'pglite://./data' }).DATABASE_URL).to.equal(
      'pglite://./data',
    );
  });

  it('names the bad variable and why, on one line', () => {
    const err = configError(() => loadConfig(baseConfig, { ...valid, BROKER_URL: 'foo' }));
    expect(err.message).to.equal(
      'Invalid configuration: BROKER_URL: expected a URL with scheme memory://, amqp://, amqps:// or kafka:// (got "foo")',
    );
    expect(err.problems).to.deep.equal([
      {
        variable: 'BROKER_URL',
        problem: 'expected a URL with scheme memory://, amqp://, amqps:// or kafka:// (got "foo")',
      },
    ]);
  });

  it('reports every bad variable at once, missing ones as not set', () => {
    const err = configError(() =>
      loadConfig(baseConfig, { SERVICE_NAME: 'Bad Name', HTTP_PORT: '70000', LOG_LEVEL: 'loud' }),
    );
    expect(err.message).to.not.include('\n');
    expect(err.problems.map((p) => p.variable)).to.have.members([
      'SERVICE_NAME',
      'LOG_LEVEL',
      'BROKER_URL',
      'DATABASE_URL',
      'HTTP_PORT',
    ]);
    expect(err.message).to.include('BROKER_URL: required but not set');
    expect(err.message).to.include(
      'HTTP_PORT: expected a port number 0-65535 (0 picks a free port) (got "70000")',
    );
    expect(err.message).to.include('LOG_LEVEL: expected one of error, warn, info');
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(baseConfig, { ...valid, OTEL_EXPORTER_OTLP_ENDPOINT: '', REDIS_URL: '' });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).to.equal(undefined);
    expect(config.REDIS_URL).to.equal(undefined);
    expect(configError(() => loadConfig(baseConfig, { ...valid, BROKER_URL: '' })).message).to.include(
      'BROKER_URL: required but not set',
    );
  });

  it('never echoes a password or a secret variable in the error', () => {
    const schema = baseConfig.extend({ HF_TOKEN: z.string().min(20, 'expected a Hugging Face token') });
    const err = configError(() =>
      loadConfig(schema, { ...valid, DATABASE_URL: 'mysql://app:hunter2@db/x', HF_TOKEN: 'hf_short' }),
    );
    expect(err.message).to.include('(got "mysql://app:***@db/x")');
    expect(err.message).to.include('HF_TOKEN: expected a Hugging Face token (got [REDACTED])');
    expect(err.message).to.not.include('hunter2').and.not.include('hf_short');
  });
});

describe('exitOnConfigError', () => {
  function fakeIo() {
    const io = { lines: [] as string[], codes: [] as number[] };
    return {
      io,
      exit: (code: number) => void io.codes.push(code),
      stderr: { write: (line: string) => io.lines.push(line) },
    };
  }

  it('prints the one-line message to stderr and exits 1', () => {
    const fake = fakeIo();
    expect(() =>
      exitOnConfigError(() => loadConfig(baseConfig, { ...valid, BROKER_URL: 'foo' }), fake),
    ).to.throw(ConfigError);
    expect(fake.io.codes).to.deep.equal([1]);
    expect(fake.io.lines).to.have.length(1);
    expect(fake.io.lines[0]).to.match(/^Invalid configuration: BROKER_URL: .*\(got "foo"\)\n$/);
  });

  it('returns the value when the configuration is valid', () => {
    const fake = fakeIo();
    expect(exitOnConfigError(() => loadConfig(baseConfig, valid), fake).SERVICE_NAME).to.equal('normalizer');
    expect(fake.io.codes).to.deep.equal([]);
  });

  it('handles async start-up and lets other errors through untouched', async () => {
    const fake = fakeIo();
    const bad = exitOnConfigError(async () => loadConfig(baseConfig, {}), fake);
    await bad.then(
      () => expect.fail('should reject'),
      () => undefined,
    );
    expect(fake.io.codes).to.deep.equal([1]);

    const boom = new Error('boom');
    expect(() =>
      exitOnConfigError(() => {
        throw boom;
      }, fake),
    ).to.throw(boom);
    expect(fake.io.codes).to.deep.equal([1]);
  });
});
