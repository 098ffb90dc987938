import { FetchError } from './fetch-error.js';
import { embeddedIpv4, inCidr, parseCidr, parseIp, type Cidr, type IpAddress } from './ip-address.js';

/** Why an address is not reachable from a server that fetches user-supplied URLs. */
export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'shared address space (CGNAT)'
  | 'benchmarking'
  | 'documentation'
  | 'reserved';

const range = (cidr: string, name: BlockedRange): [Cidr, BlockedRange] => {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`bad built-in range ${cidr}`);
  return [parsed, name];
};

// IANA special-purpose registries (RFC 6890 and successors). First match wins.
const IPV4_RANGES = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared address space (CGNAT)'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'), // includes 169.254.169.254, the cloud metadata service
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', 'reserved'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('64:ff9b:1::/48', 'private'),
  range('100::/64', 'reserved'),
  range('2001:2::/48', 'benchmarking'),
  range('2001:db8::/32', 'documentation'),
  range('2001::/32', 'reserved'), // Teredo tunnels
  range('3fff::/20', 'documentation'),
  range('fc00::/7', 'private'),
  range('fec0::/10', 'private'), // deprecated site-local
  range('fe80::/10', 'link-local'),
  range('ff00::/8', 'multicast'),
];

/** IPv6 forms that carry an IPv4 address, which is what gets reached and so what gets checked. */
const IPV4_CARRIERS: Array<[Cidr, number]> = [
  [range('::ffff:0:0/96', 'reserved')[0], 12], // IPv4-mapped
  [range('64:ff9b::/96', 'reserved')[0], 12], // NAT64 well-known prefix
  [range('2002::/16', 'reserved')[0], 2], // 6to4
];
const GLOBAL_UNICAST_V6 = range('2000::/3', 'reserved')[0];

/**
 * The special-purpose range an address belongs to, or null for a public unicast address.
 * IPv6 outside 2000::/3 (global unicast) is refused as reserved, apart from the forms that embed
 * an IPv4 address (mapped, NAT64, 6to4), which are judged by that IPv4 address.
 */
export function blockedRange(address: IpAddress): BlockedRange | null {
  if (address.family === 4) return IPV4_RANGES.find(([cidr]) => inCidr(address, cidr))?.[1] ?? null;
  for (const [carrier, offset] of IPV4_CARRIERS) {
    if (inCidr(address, carrier)) return blockedRange(embeddedIpv4(address, offset));
  }
  const special = IPV6_RANGES.find(([cidr]) => inCidr(address, cidr))?.[1];
  if (special) return special;
  return inCidr(address, GLOBAL_UNICAST_V6) ? null : 'reserved';
}

/** The IPv4 address an IPv4-mapped IPv6 address stands for; other addresses unchanged. */
function unmapped(address: IpAddress): IpAddress {
  const mapped = IPV4_CARRIERS[0]![0];
  return inCidr(address, mapped) ? embeddedIpv4(address, 12) : address;
}

export interface AddressPolicy {
  /** True when the host name is allowlisted: every address it resolves to may be reached. */
  allowsHost(hostname: string): boolean;
  /**
   * Throws FetchError('ssrf_blocked') unless `address` (what `hostname` resolved to, or the
   * hostname itself when it is an IP literal) may be reached.
   */
  assertAllowed(hostname: string, address: string): void;
}

/**
 * The SSRF guard's decision. `allowlist` entries are CIDRs / single addresses (`127.0.0.0/8`,
 * `::1`) or exact host names (`localhost`, `feeds.internal`); they permit what would otherwise be
 * refused. An IPv4 entry also covers the IPv4-mapped IPv6 form of its addresses.
 */
export function createAddressPolicy(allowlist: readonly string[] = []): AddressPolicy {
  const cidrs: Cidr[] = [];
  const hosts = new Set<string>();
  for (const entry of allowlist) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (/^[a-z0-9.-]+$/i.test(entry.trim()) && !/^[\d.]+$/.test(entry.trim())) hosts.add(hostKey(entry));
    else throw new TypeError(`allowlist entry is neither a CIDR nor a host name: ${JSON.stringify(entry)}`);
  }

  const allowsHost = (hostname: string) => hosts.has(hostKey(hostname));
  return {
    allowsHost,
    assertAllowed(hostname, addressText) {
      if (allowsHost(hostname)) return;
      const address = parseIp(addressText);
      if (!address)
        throw new FetchError('ssrf_blocked', `refused ${hostname}: ${addressText} is not an IP address`);
      const plain = unmapped(address);
      if (cidrs.some((cidr) => inCidr(plain, cidr) || inCidr(address, cidr))) return;
      const blocked = blockedRange(address);
      if (!blocked) return;
      const target = hostname === addressText ? addressText : `${hostname} (${addressText})`;
      throw new FetchError('ssrf_blocked', `refused to connect to ${target}: ${blocked} address`);
    },
  };
}

function hostKey(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/\.$/, '');
}
