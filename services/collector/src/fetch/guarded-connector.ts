import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { FetchError } from './fetch-error.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has. Tests inject their own. */
export type LookupFunction = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemLookup: LookupFunction = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface GuardedConnectorOptions {
  policy: AddressPolicy;
  lookup: LookupFunction;
  /** Bounds name resolution and, separately, the TCP (+ TLS) handshake. */
  connectTimeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. */
  ca?: string | readonly string[];
}

/**
 * An undici `connect` function that closes the DNS-rebinding gap: the host name is resolved
 * exactly once, every address is checked, and the socket is opened to the checked address itself,
 * so nothing resolves the name a second time between check and use. TLS still presents and
 * verifies the host name (SNI, certificate). An IP-literal host is checked as is.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const extraCa = options.ca === undefined ? [] : [options.ca].flat();
  const openSocket = buildConnector({
    timeout: options.connectTimeoutMs,
    ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
  });
  return (target, callback) => {
    const fail = (error: unknown) =>
      callback(error instanceof Error ? error : new Error(String(error)), null);
    const servername = target.servername || (isIP(target.hostname) ? undefined : target.hostname);
    // Every address was checked, so falling back to the next one on an unreachable network is safe.
    const attempt = (addresses: string[], index: number) => {
      try {
        openSocket({ ...target, hostname: addresses[index]!, servername }, (...result) => {
          const [error] = result;
          if (error && index + 1 < addresses.length && isUnreachable(error)) attempt(addresses, index + 1);
          else callback(...result);
        });
      } catch (error) {
        fail(error);
      }
    };
    resolveChecked(target.hostname, options).then((addresses) => attempt(addresses, 0), fail);
  };
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function isUnreachable(error: Error): boolean {
  return UNREACHABLE.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Every address of the host, each checked by the policy; throws when any is refused. */
async function resolveChecked(hostname: string, options: GuardedConnectorOptions): Promise<string[]> {
  const addresses = isIP(hostname) ? [hostname] : await resolve(hostname, options);
  if (addresses.length === 0) throw new FetchError('network', `could not resolve ${hostname}: no addresses`);
  for (const address of addresses) options.policy.assertAllowed(hostname, address);
  return addresses;
}

async function resolve(hostname: string, options: GuardedConnectorOptions): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FetchError('timeout', `resolving ${hostname} took longer than ${options.connectTimeoutMs} ms`),
        ),
      options.connectTimeoutMs,
    );
  });
  try {
    const resolved = await Promise.race([options.lookup(hostname), timeout]);
    return resolved.map((entry) => entry.address);
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new FetchError('network', `could not resolve ${hostname}: ${code}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
