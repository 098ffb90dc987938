import { isIP } from 'node:net';
import {
  createAddressPolicy,
  isFetchError,
  systemLookup,
  type AddressPolicy,
  type LookupFunction,
} from '@trendmill/collector';

export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
  constructor(
    readonly code: 'invalid_webhook_url' | 'webhook_url_refused',
    message: string,
  ) {
    super(message);
  }
}

export const MAX_WEBHOOK_URL_LENGTH = 2_048;

/**
 * Checks a webhook URL at registration: http(s), no credentials in it (they would be stored and
 * shown in listings; the signing secret authenticates us instead), and every address its host
 * resolves to must pass the collector's SSRF policy (private, loopback, link-local and metadata
 * addresses are refused unless allowlisted). Delivery checks again on every connection, because
 * DNS can change after registration.
 */
export async function checkWebhookUrl(
  input: string,
  options: { policy: AddressPolicy; lookup?: LookupFunction },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new WebhookUrlError('invalid_webhook_url', 'url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new WebhookUrlError('invalid_webhook_url', `url must be http or https, not ${url.protocol}`);
  if (url.username || url.password)
    throw new WebhookUrlError(
      'invalid_webhook_url',
      'url must not carry credentials; requests are authenticated by their signature',
    );
  if (input.length > MAX_WEBHOOK_URL_LENGTH)
    throw new WebhookUrlError(
      'invalid_webhook_url',
      `url is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`,
    );
  url.hash = '';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    if (isIP(host)) options.policy.assertAllowed(host, host);
    else if (!options.policy.allowsHost(host)) {
      const addresses = await (options.lookup ?? systemLookup)(host);
      if (addresses.length === 0) throw new Error('no addresses');
      for (const { address } of addresses) options.policy.assertAllowed(host, address);
    }
  } catch (error) {
    if (isFetchError(error, 'ssrf_blocked')) throw new WebhookUrlError('webhook_url_refused', error.message);
    throw new WebhookUrlError(
      'invalid_webhook_url',
      `url host ${host} could not be resolved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return url;
}

export { createAddressPolicy };
