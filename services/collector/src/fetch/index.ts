export {
  createSafeFetcher,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  HTTP_ERROR_BODY_BYTES,
  type FetchedResponse,
  type FetchUrlOptions,
  type SafeFetcher,
  type SafeFetcherOptions,
} from './safe-fetcher.js';
export {
  FetchError,
  isFetchError,
  redactUrl,
  type FetchErrorCode,
  type FetchErrorDetails,
} from './fetch-error.js';
export {
  blockedRange,
  createAddressPolicy,
  type AddressPolicy,
  type BlockedRange,
} from './address-policy.js';
export { parseIp, parseCidr, type IpAddress, type Cidr } from './ip-address.js';
export {
  createGuardedConnector,
  systemLookup,
  type GuardedConnectorOptions,
  type LookupFunction,
  type ResolvedAddress,
} from './guarded-connector.js';
export { parseRetryAfter } from './retry-after.js';
