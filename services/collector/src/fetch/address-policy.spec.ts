import { expect } from 'chai';
import { blockedRange, createAddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';
import { parseIp } from './ip-address.js';

const rangeOf = (address: string) => blockedRange(parseIp(address)!);

describe('blockedRange', () => {
  const cases: Array<[string, string]> = [
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.170', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['4000::1', 'reserved'],
  ];
  for (const [address, range] of cases) {
    it(`refuses ${address} as ${range}`, () => expect(rangeOf(address)).to.equal(range));
  }

  it('lets public unicast through', () => {
    for (const address of [
      '1.1.1.1',
      '8.8.8.8',
      '93.184.216.34',
      '100.63.255.255',
      '100.128.0.0',
      '172.15.255.255',
      '172.32.0.0',
      '198.17.255.255',
      '198.20.0.0',
      '223.255.255.255',
      '2606:4700:4700::1111',
      '2001:4860:4860::8888',
      '2a00:1450:4001:80b::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
      '2002:808:808::1',
    ]) {
      expect(rangeOf(address), address).to.equal(null);
    }
  });
});

describe('createAddressPolicy', () => {
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      expect(error).to.be.instanceOf(FetchError);
      return error as FetchError;
    }
    throw new Error('expected a refusal');
  };

  it('refuses with a message naming the host, the address and the range', () => {
    const error = refusal(() => createAddressPolicy().assertAllowed('internal.example', '10.1.2.3'));
    expect(error.code).to.equal('ssrf_blocked');
    expect(error.message).to.equal('refused to connect to internal.example (10.1.2.3): private address');
  });

  it('allows public addresses with no allowlist', () => {
    createAddressPolicy().assertAllowed('example.com', '93.184.216.34');
  });

  it('lets allowlisted CIDRs through, and only them', () => {
    const policy = createAddressPolicy(['127.0.0.0/8', 'fd00::/8']);
    policy.assertAllowed('localhost', '127.0.0.1');
    policy.assertAllowed('x', '::ffff:127.0.0.1');
    policy.assertAllowed('x', 'fd00::5');
    expect(refusal(() => policy.assertAllowed('x', '::1')).code).to.equal('ssrf_blocked');
    expect(refusal(() => policy.assertAllowed('x', '10.0.0.1')).code).to.equal('ssrf_blocked');
  });

  it('lets allowlisted host names through whatever they resolve to, matching case and trailing dot', () => {
    const policy = createAddressPolicy(['LocalHost']);
    policy.assertAllowed('localhost', '127.0.0.1');
    policy.assertAllowed('localhost.', '::1');
    expect(policy.allowsHost('LOCALHOST')).to.equal(true);
    expect(refusal(() => policy.assertAllowed('127.0.0.1', '127.0.0.1')).code).to.equal('ssrf_blocked');
  });

  it('refuses what is not an address rather than guessing', () => {
    expect(refusal(() => createAddressPolicy().assertAllowed('x', '0x7f.1')).code).to.equal('ssrf_blocked');
  });

  it('rejects malformed allowlist entries up front', () => {
    for (const entry of ['10.0.0.0/33', '999.1.1.1', 'http://x', 'a b']) {
      expect(() => createAddressPolicy([entry]), entry).to.throw(TypeError);
    }
  });
});
