import { expect } from 'chai';
import { ConfigError, loadConfig } from '@trendmill/platform';
import { checkGatewayConfig, gatewayConfig } from './config.js';

const required = {
  BROKER_URL: 'memory://',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  QUERY_URL: 'http://query:9464',
  COLLECTOR_URL: 'http://collector:9464',
};

describe('gateway configuration', () => {
  it('fills defaults and splits the CORS list', () => {
    const config = loadConfig(gatewayConfig, {
      ...required,
      GATEWAY_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config).to.include({
      SERVICE_NAME: 'gateway',
      GATEWAY_DB_SCHEMA: 'gateway',
      HTTP_PORT: 8080,
      GATEWAY_RATE_LIMIT_PER_MINUTE: 600,
      GATEWAY_MAX_BODY_BYTES: 1024 * 1024,
    });
    expect(config.GATEWAY_CORS_ORIGINS).to.deep.equal(['https://a.example', 'https://b.example']);
  });

  it('names every missing or malformed variable, never echoing the bootstrap key', () => {
    expect(() => loadConfig(gatewayConfig, { ...required, QUERY_URL: 'ftp://x' })).to.throw(
      ConfigError,
      /QUERY_URL/,
    );
    try {
      checkGatewayConfig(
        loadConfig(gatewayConfig, { ...required, GATEWAY_BOOTSTRAP_ADMIN_KEY: 'short secret' }),
      );
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).to.include('GATEWAY_BOOTSTRAP_ADMIN_KEY');
      expect(message).to.not.include('short secret');
    }
    const key = 'k'.repeat(40);
    expect(
      checkGatewayConfig(loadConfig(gatewayConfig, { ...required, GATEWAY_BOOTSTRAP_ADMIN_KEY: key }))
        .GATEWAY_BOOTSTRAP_ADMIN_KEY,
    ).to.equal(key);
    expect(() => loadConfig(gatewayConfig, { BROKER_URL: 'memory://' })).to.throw(/COLLECTOR_URL/);
  });
});
