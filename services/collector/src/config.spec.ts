import { ConfigError, loadConfig } from '@trendmill/platform';
import { expect } from 'chai';
import { collectorConfig, collectorSettings } from './config.js';

const REQUIRED = { BROKER_URL: 'memory://', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/trendmill' };
const load = (env: Record<string, string> = {}) => loadConfig(collectorConfig, { ...REQUIRED, ...env });

function problemsOf(env: Record<string, string>): Array<{ variable: string; problem: string }> {
  try {
    load(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('collectorConfig', () => {
  it('needs only the broker and the database, with sensible defaults for the rest', () => {
    expect(load()).to.deep.include({
      SERVICE_NAME: 'collector',
      COLLECTOR_DB_SCHEMA: 'collector',
      COLLECTOR_FETCH_ALLOWLIST: [],
      COLLECTOR_CONCURRENCY: 4,
      COLLECTOR_FAILURE_THRESHOLD: 5,
      COLLECTOR_MAX_RESPONSE_BYTES: 5 * 1024 * 1024,
      COLLECTOR_CONNECT_TIMEOUT_MS: 10_000,
      COLLECTOR_READ_TIMEOUT_MS: 30_000,
      COLLECTOR_MAX_REDIRECTS: 5,
      COLLECTOR_MIN_INTERVAL_SECONDS: 60,
      COLLECTOR_API_KEYS: [],
      COLLECTOR_MAX_BODY_BYTES: 5 * 1024 * 1024,
    });
  });

  it('says which required variables are missing', () => {
    try {
      loadConfig(collectorConfig, {});
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems).to.deep.include.members([
        { variable: 'BROKER_URL', problem: 'required but not set' },
        { variable: 'DATABASE_URL', problem: 'required but not set' },
      ]);
    }
  });

  it('reads numbers from their text and treats an empty variable as unset', () => {
    const config = load({
      COLLECTOR_CONCURRENCY: '16',
      COLLECTOR_FAILURE_THRESHOLD: '1',
      COLLECTOR_MAX_REDIRECTS: '0',
      COLLECTOR_MIN_INTERVAL_SECONDS: '10',
      COLLECTOR_READ_TIMEOUT_MS: '',
    });
    expect(config).to.deep.include({
      COLLECTOR_CONCURRENCY: 16,
      COLLECTOR_FAILURE_THRESHOLD: 1,
      COLLECTOR_MAX_REDIRECTS: 0,
      COLLECTOR_MIN_INTERVAL_SECONDS: 10,
      COLLECTOR_READ_TIMEOUT_MS: 30_000,
    });
  });

  it('splits comma-separated lists, trimming entries and dropping empty ones', () => {
    const config = load({
      COLLECTOR_FETCH_ALLOWLIST: ' 10.0.0.0/8 , feeds.internal,,::1 ',
      COLLECTOR_API_KEYS: 'key-one, key-two ,',
    });
    expect(config.COLLECTOR_FETCH_ALLOWLIST).to.deep.equal(['10.0.0.0/8', 'feeds.internal', '::1']);
    expect(config.COLLECTOR_API_KEYS).to.deep.equal(['key-one', 'key-two']);
  });

  it('refuses bad values, naming the variable, the rule and what it got', () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ COLLECTOR_CONCURRENCY: 'lots' }, 'COLLECTOR_CONCURRENCY', /expected number.*\(got "lots"\)/],
      [{ COLLECTOR_CONCURRENCY: '0' }, 'COLLECTOR_CONCURRENCY', />=1 \(got "0"\)/],
      [{ COLLECTOR_CONCURRENCY: '201' }, 'COLLECTOR_CONCURRENCY', /<=200/],
      [{ COLLECTOR_CONCURRENCY: '2.5' }, 'COLLECTOR_CONCURRENCY', /int/],
      [{ COLLECTOR_FAILURE_THRESHOLD: '1001' }, 'COLLECTOR_FAILURE_THRESHOLD', /<=1000/],
      [{ COLLECTOR_MAX_RESPONSE_BYTES: '1023' }, 'COLLECTOR_MAX_RESPONSE_BYTES', />=1024/],
      [{ COLLECTOR_CONNECT_TIMEOUT_MS: '99' }, 'COLLECTOR_CONNECT_TIMEOUT_MS', />=100/],
      [{ COLLECTOR_READ_TIMEOUT_MS: '-1' }, 'COLLECTOR_READ_TIMEOUT_MS', />=100/],
      [{ COLLECTOR_MAX_REDIRECTS: '21' }, 'COLLECTOR_MAX_REDIRECTS', /<=20/],
      [{ COLLECTOR_MIN_INTERVAL_SECONDS: '9' }, 'COLLECTOR_MIN_INTERVAL_SECONDS', />=10/],
      [{ COLLECTOR_MAX_BODY_BYTES: '100' }, 'COLLECTOR_MAX_BODY_BYTES', />=1024/],
      [{ COLLECTOR_DB_SCHEMA: 'Collector-1' }, 'COLLECTOR_DB_SCHEMA', /lowercase SQL identifier/],
      [{ COLLECTOR_DB_SCHEMA: '1collector' }, 'COLLECTOR_DB_SCHEMA', /lowercase SQL identifier/],
      [{ COLLECTOR_DB_SCHEMA: 'x; DROP TABLE y' }, 'COLLECTOR_DB_SCHEMA', /lowercase SQL identifier/],
    ];
    for (const [env, variable, problem] of cases) {
      const problems = problemsOf(env);
      expect(
        problems.map((p) => p.variable),
        JSON.stringify(env),
      ).to.deep.equal([variable]);
      expect(problems[0]!.problem, JSON.stringify(env)).to.match(problem);
    }
  });

  it('refuses an SSRF allowlist entry the guard cannot read, at start-up', () => {
    for (const entry of ['10.0.0.0/33', '999.1.1.1', 'http://feeds.internal', 'two words']) {
      const problems = problemsOf({ COLLECTOR_FETCH_ALLOWLIST: `localhost, ${entry}` });
      expect(
        problems.map((p) => p.variable),
        entry,
      ).to.deep.equal(['COLLECTOR_FETCH_ALLOWLIST']);
      expect(problems[0]!.problem, entry).to.include(
        `neither a CIDR nor a host name: ${JSON.stringify(entry)}`,
      );
    }
  });

  it('accepts the allowlist forms the guard understands', () => {
    const entries = ['127.0.0.0/8', '::1', 'fd00::/8', '192.168.1.10', 'feeds.internal', 'LocalHost'];
    expect(load({ COLLECTOR_FETCH_ALLOWLIST: entries.join(',') }).COLLECTOR_FETCH_ALLOWLIST).to.deep.equal(
      entries,
    );
  });
});

describe('collectorSettings', () => {
  it('maps the config onto the service settings', () => {
    const config = load({
      COLLECTOR_FETCH_ALLOWLIST: '10.0.0.0/8',
      COLLECTOR_CONCURRENCY: '8',
      COLLECTOR_FAILURE_THRESHOLD: '3',
      COLLECTOR_MAX_RESPONSE_BYTES: '2048',
      COLLECTOR_CONNECT_TIMEOUT_MS: '500',
      COLLECTOR_READ_TIMEOUT_MS: '700',
      COLLECTOR_MAX_REDIRECTS: '2',
      COLLECTOR_MIN_INTERVAL_SECONDS: '30',
    });
    expect(collectorSettings(config)).to.deep.equal({
      allowlist: ['10.0.0.0/8'],
      concurrency: 8,
      failureThreshold: 3,
      fetch: { maxBytes: 2048, connectTimeoutMs: 500, readTimeoutMs: 700, maxRedirects: 2 },
      schedule: { minIntervalSeconds: 30 },
    });
  });
});
