import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

export interface Cidr extends IpAddress {
  prefix: number;
}

/**
 * Parses a textual IP address: dotted-decimal IPv4 (only the canonical form: `0x7f.1` or
 * `2130706433` are host names here, which URL parsing or the resolver turn into dotted form before
 * they are checked) or IPv6, with or without brackets and zone id. Null for anything else.
 */
export function parseIp(text: string): IpAddress | null {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return { family: 4, bytes: Uint8Array.from(address.split('.'), Number) };
  if (isIPv6(address)) return { family: 6, bytes: ipv6Bytes(address) };
  return null;
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a one-address range). Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addressText = '', prefixText, ...rest] = text.trim().split('/');
  const address = parseIp(addressText);
  if (!address || rest.length > 0) return null;
  const maxPrefix = address.bytes.length * 8;
  if (prefixText === undefined) return { ...address, prefix: maxPrefix };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
  return { ...address, prefix: Number(prefixText) };
}

export function inCidr(address: IpAddress, cidr: Cidr): boolean {
  if (address.family !== cidr.family) return false;
  const wholeBytes = Math.floor(cidr.prefix / 8);
  for (let i = 0; i < wholeBytes; i++) if (address.bytes[i] !== cidr.bytes[i]) return false;
  const restBits = cidr.prefix % 8;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((address.bytes[wholeBytes] ?? 0) & mask) === ((cidr.bytes[wholeBytes] ?? 0) & mask);
}

/** The IPv4 address held in four bytes of an IPv6 address, starting at `offset`. */
export function embeddedIpv4(address: IpAddress, offset: number): IpAddress {
  return { family: 4, bytes: address.bytes.slice(offset, offset + 4) };
}

/** Expects a valid IPv6 address (checked with isIPv6), possibly ending in a dotted IPv4 part. */
function ipv6Bytes(address: string): Uint8Array {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [headText = '', tailText] = text.split('::');
  const head = groupsOf(headText);
  const rest = tailText === undefined ? [] : groupsOf(tailText);
  const groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function groupsOf(text: string): number[] {
  return text === '' ? [] : text.split(':').map((group) => parseInt(group, 16));
}
