import { expect } from 'chai';
import { ConfigError, loadConfig } from '@trendmill/platform';
import { defaultEngineSettings } from './domain/index.js';
import { clustererConfig, clustererSettingsFrom } from './config.js';

const REQUIRED = { BROKER_URL: 'memory://', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/trendmill' };
const load = (env: Record<string, string> = {}) => loadConfig(clustererConfig, { ...REQUIRED, ...env });

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => p.variable);
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('clustererConfig', () => {
  it('needs only the broker and the database; engine tunables stay with the per-model defaults', () => {
    const config = load();
    expect(config).to.deep.include({
      SERVICE_NAME: 'clusterer',
      CLUSTERER_DB_SCHEMA: 'clusterer',
      CLUSTERER_DISCOVERY_INTERVAL_MS: 60_000,
      CLUSTERER_MAINTENANCE_INTERVAL_MS: 300_000,
      CLUSTERER_PREFETCH: 128,
      CLUSTERER_BATCH_SIZE: 64,
      CLUSTERER_BATCH_WAIT_MS: 5,
    });
    expect(clustererSettingsFrom(config).engine).to.deep.equal({});
  });

  it('turns the variables that are set into engine overrides, hours into milliseconds', () => {
    const settings = clustererSettingsFrom(
      load({
        CLUSTERER_ASSIGN_THRESHOLD: '0.7',
        CLUSTERER_MIN_CLUSTER_SIZE: '6',
        CLUSTERER_DISCOVERY_WINDOW_HOURS: '48',
        CLUSTERER_MERGE_THRESHOLD: '0.9',
        CLUSTERER_DISCOVERY_MAX_ITEMS: '5000',
        CLUSTERER_RETIRE_AFTER_HOURS: '72',
        CLUSTERER_DISCOVERY_INTERVAL_MS: '30000',
        CLUSTERER_PREFETCH: '4',
        CLUSTERER_BATCH_SIZE: '2',
        CLUSTERER_BATCH_WAIT_MS: '0',
      }),
    );
    expect(settings).to.deep.equal({
      discoveryIntervalMs: 30_000,
      maintenanceIntervalMs: 300_000,
      prefetch: 4,
      batch: { maxBatch: 2, maxWaitMs: 0 },
      engine: {
        assignThreshold: 0.7,
        minClusterSize: 6,
        discoveryWindowMs: 48 * 3_600_000,
        discoveryMaxItems: 5_000,
        mergeThreshold: 0.9,
        retireAfterMs: 72 * 3_600_000,
      },
    });
    // The overrides land on top of a model's defaults and make valid engine settings.
    expect(defaultEngineSettings('trendmill-local-v1', settings.engine)).to.include({
      assignThreshold: 0.7,
      minClusterSize: 6,
    });
  });

  it('refuses values that cannot work, naming each variable', () => {
    expect(
      problemsOf({
        CLUSTERER_ASSIGN_THRESHOLD: '1.5',
        CLUSTERER_MIN_CLUSTER_SIZE: '1',
        CLUSTERER_DB_SCHEMA: 'Bad-Schema',
        CLUSTERER_DISCOVERY_INTERVAL_MS: '10',
        CLUSTERER_PREFETCH: 'many',
        CLUSTERER_BATCH_SIZE: '0',
      }).sort(),
    ).to.deep.equal([
      'CLUSTERER_ASSIGN_THRESHOLD',
      'CLUSTERER_BATCH_SIZE',
      'CLUSTERER_DB_SCHEMA',
      'CLUSTERER_DISCOVERY_INTERVAL_MS',
      'CLUSTERER_MIN_CLUSTER_SIZE',
      'CLUSTERER_PREFETCH',
    ]);
  });
});
