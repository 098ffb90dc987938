import { expect } from 'chai';
import { createAddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';
import { createGuardedConnector, type LookupFunction } from './guarded-connector.js';

/** Runs the connector for a target it must refuse: no socket is ever opened for these. */
function refusal(hostname: string, lookup: LookupFunction, connectTimeoutMs = 1000): Promise<Error> {
  const connect = createGuardedConnector({ policy: createAddressPolicy(), lookup, connectTimeoutMs });
  return new Promise((resolve, reject) => {
    connect({ hostname, host: `${hostname}:80`, protocol: 'http:', port: '80' }, (error, socket) => {
      if (error) resolve(error);
      else {
        socket.destroy();
        reject(new Error(`connected to ${hostname}`));
      }
    });
  });
}

const noLookup: LookupFunction = () => Promise.reject(new Error('an IP literal must not be resolved'));

describe('createGuardedConnector', () => {
  it('checks IP-literal hosts itself, without a lookup', async () => {
    for (const hostname of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', '::ffff:7f00:1', 'fe80::1']) {
      const error = await refusal(hostname, noLookup);
      expect(error, hostname).to.be.instanceOf(FetchError);
      expect((error as FetchError).code, hostname).to.equal('ssrf_blocked');
    }
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const lookup: LookupFunction = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.0.10', family: 4 },
    ];
    const error = (await refusal('mixed.example', lookup)) as FetchError;
    expect(error.code).to.equal('ssrf_blocked');
    expect(error.message).to.equal('refused to connect to mixed.example (192.168.0.10): private address');
  });

  it('resolves the name once per connection', async () => {
    const asked: string[] = [];
    const lookup: LookupFunction = async (hostname) => {
      asked.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    await refusal('rebind.example', lookup);
    expect(asked).to.deep.equal(['rebind.example']);
  });

  it('turns resolver failures and empty answers into network errors', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    const failed = (await refusal('nowhere.example', () => Promise.reject(notFound))) as FetchError;
    expect(failed.code).to.equal('network');
    expect(failed.message).to.equal('could not resolve nowhere.example: ENOTFOUND');
    const empty = (await refusal('empty.example', async () => [])) as FetchError;
    expect(empty.code).to.equal('network');
  });

  it('times out a resolver that never answers', async () => {
    const error = (await refusal('slow.example', () => new Promise(() => {}), 20)) as FetchError;
    expect(error.code).to.equal('timeout');
    expect(error.message).to.contain('resolving slow.example');
  });
});
