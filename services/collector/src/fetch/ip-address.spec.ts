import { expect } from 'chai';
import { inCidr, parseCidr, parseIp } from './ip-address.js';

const bytes = (text: string) => [...(parseIp(text)?.bytes ?? [])];

describe('parseIp', () => {
  it('reads dotted-decimal IPv4', () => {
    expect(parseIp('192.168.1.20')).to.deep.equal({ family: 4, bytes: Uint8Array.from([192, 168, 1, 20]) });
  });

  it('does not read legacy IPv4 forms as addresses (URL parsing normalises them first)', () => {
    for (const text of ['2130706433', '0x7f.1', '017700000001', '127.1', '256.0.0.1']) {
      expect(parseIp(text), text).to.equal(null);
    }
  });

  it('expands compressed IPv6, with brackets and zone ids stripped', () => {
    expect(bytes('::1')).to.deep.equal([...new Array(15).fill(0), 1]);
    expect(bytes('[::]')).to.deep.equal(new Array(16).fill(0));
    expect(bytes('fe80::1%eth0')).to.deep.equal([0xfe, 0x80, ...new Array(13).fill(0), 1]);
    expect(bytes('2001:db8:0:0:1:0:0:1')).to.deep.equal([
      0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1,
    ]);
  });

  it('reads a trailing dotted IPv4 inside IPv6', () => {
    expect(bytes('::ffff:127.0.0.1')).to.deep.equal(bytes('::ffff:7f00:1'));
    expect(bytes('64:ff9b::10.0.0.1')).to.deep.equal(bytes('64:ff9b::a00:1'));
  });

  it('returns null for host names and garbage', () => {
    for (const text of ['localhost', 'example.com', '', '1.2.3.4.5', ':::', '[::1'])
      expect(parseIp(text), text).to.equal(null);
  });
});

describe('parseCidr / inCidr', () => {
  it('matches on the prefix bits only', () => {
    const cgnat = parseCidr('100.64.0.0/10')!;
    expect(inCidr(parseIp('100.64.0.1')!, cgnat)).to.equal(true);
    expect(inCidr(parseIp('100.127.255.255')!, cgnat)).to.equal(true);
    expect(inCidr(parseIp('100.128.0.0')!, cgnat)).to.equal(false);
    expect(inCidr(parseIp('fd12::1')!, parseCidr('fc00::/7')!)).to.equal(true);
    expect(inCidr(parseIp('fe00::1')!, parseCidr('fc00::/7')!)).to.equal(false);
  });

  it('treats a bare address as a one-address range, and never matches across families', () => {
    const one = parseCidr('127.0.0.2')!;
    expect(one.prefix).to.equal(32);
    expect(inCidr(parseIp('127.0.0.2')!, one)).to.equal(true);
    expect(inCidr(parseIp('127.0.0.1')!, one)).to.equal(false);
    expect(inCidr(parseIp('::ffff:127.0.0.2')!, one)).to.equal(false);
    expect(inCidr(parseIp('1.2.3.4')!, parseCidr('0.0.0.0/0')!)).to.equal(true);
  });

  it('refuses malformed ranges', () => {
    for (const text of [
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/-1',
      '10.0.0.0/8/8',
      'example.com/8',
      '10.0.0.0/',
    ]) {
      expect(parseCidr(text), text).to.equal(null);
    }
  });
});
