import CircuitBreaker from 'opossum';
import { Agent, request } from 'undici';
import {
  createAddressPolicy,
  createGuardedConnector,
  isFetchError,
  redactUrl,
  systemLookup,
  type LookupFunction,
} from '@trendmill/collector';
import { signWebhook } from '../signature.js';

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
  /** Signing time, unix seconds. */
  timestamp: number;
}

/** What one POST came to: a 2xx, or why not (status when the receiver answered). */
export type WebhookResult =
  | { ok: true; status: number }
  | { ok: false; status?: number; error: string; retryable: boolean; deferred?: boolean };

export interface WebhookSenderOptions {
  /** CIDRs / host names the SSRF guard lets through (e.g. a receiver on loopback in tests). */
  allowlist?: readonly string[];
  lookup?: LookupFunction;
  connectTimeoutMs?: number;
  /** Waiting for response headers. */
  responseTimeoutMs?: number;
  /** Per-host circuit breaker; false turns it off. */
  breaker?: false | { resetTimeoutMs?: number; errorThresholdPercentage?: number; volumeThreshold?: number };
  userAgent?: string;
}

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResult>;
  close(): Promise<void>;
}

const ERROR_BODY_CHARS = 300;
const MAX_BREAKERS = 1_000;

/**
 * POSTs signed CloudEvents through the collector's guarded connector: the host is resolved once,
 * every address checked against the SSRF policy, and the socket opened to the checked address,
 * on every delivery (DNS may have changed since registration). Redirects are not followed: a
 * receiver that moved must be re-registered. A circuit breaker per host stops a dead receiver
 * from tying up the dispatcher; while open, deliveries to it are deferred, not failed.
 */
export function createWebhookSender(options: WebhookSenderOptions = {}): WebhookSender {
  const policy = createAddressPolicy(options.allowlist);
  const responseTimeoutMs = options.responseTimeoutMs ?? 10_000;
  const agent = new Agent({
    connect: createGuardedConnector({
      policy,
      lookup: options.lookup ?? systemLookup,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    }),
    headersTimeout: responseTimeoutMs,
    bodyTimeout: responseTimeoutMs,
  });
  const userAgent = options.userAgent ?? 'Trendmill-Webhooks/0.1';
  let closing: Promise<void> | undefined;
  const breakers = new Map<string, CircuitBreaker<[WebhookRequest], WebhookResult>>();

  async function post(req: WebhookRequest): Promise<WebhookResult> {
    try {
      const response = await request(req.url, {
        dispatcher: agent,
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'user-agent': userAgent,
          'trendmill-signature': signWebhook(req.secret, req.body, req.timestamp),
          'trendmill-event-id': req.eventId,
          'trendmill-event-type': req.eventType,
          'trendmill-delivery-id': req.deliveryId,
          'trendmill-delivery-attempt': String(req.attempt),
        },
        body: req.body,
        signal: AbortSignal.timeout(responseTimeoutMs * 2),
      });
      const status = response.statusCode;
      if (status >= 200 && status < 300) {
        await response.body.dump();
        return { ok: true, status };
      }
      const excerpt = await readExcerpt(response.body);
      return {
        ok: false,
        status,
        error: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`,
        // A receiver that refuses a request it cannot authenticate or parse may be fixed later;
        // every status is retried until the attempts run out (the subscription owner sees why).
        retryable: true,
      };
    } catch (error) {
      if (isFetchError(error, 'ssrf_blocked'))
        return { ok: false, error: `refused by the SSRF guard: ${error.message}`, retryable: false };
      const code = (error as { code?: string }).code;
      const reason = code ?? (error as Error).message ?? String(error);
      return { ok: false, error: `request to ${redactUrl(req.url)} failed: ${reason}`, retryable: true };
    }
  }

  function breakerFor(host: string) {
    let breaker = breakers.get(host);
    if (!breaker) {
      if (breakers.size >= MAX_BREAKERS) breakers.delete(breakers.keys().next().value!);
      const settings = options.breaker || {};
      breaker = new CircuitBreaker(
        async (req: WebhookRequest) => {
          const result = await post(req);
          // The breaker counts rejections: network errors and 5xx say the host is in trouble;
          // a 4xx is the receiver answering, so it does not trip the breaker.
          if (!result.ok && (result.status === undefined || result.status >= 500))
            throw new SendFailure(result);
          return result;
        },
        {
          timeout: false,
          resetTimeout: settings.resetTimeoutMs ?? 30_000,
          errorThresholdPercentage: settings.errorThresholdPercentage ?? 50,
          volumeThreshold: settings.volumeThreshold ?? 10,
        },
      );
      breakers.set(host, breaker);
    }
    return breaker;
  }

  return {
    async send(req) {
      if (options.breaker === false) return post(req);
      const breaker = breakerFor(new URL(req.url).host);
      try {
        return await breaker.fire(req);
      } catch (error) {
        if (error instanceof SendFailure) return error.result;
        if (breaker.opened)
          return {
            ok: false,
            error: `circuit open for ${new URL(req.url).host} after repeated failures`,
            retryable: true,
            deferred: true,
          };
        return { ok: false, error: String(error), retryable: true };
      }
    },
    close() {
      return (closing ??= (async () => {
        for (const breaker of breakers.values()) breaker.shutdown();
        breakers.clear();
        await agent.close();
      })());
    },
  };
}

class SendFailure extends Error {
  constructor(readonly result: WebhookResult) {
    super(result.ok ? 'ok' : result.error);
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += chunk.toString('utf8');
      if (text.length >= ERROR_BODY_CHARS) break;
    }
  } catch {
    // The status is what matters; a body that breaks off adds nothing.
  } finally {
    body.destroy();
  }
  return text.slice(0, ERROR_BODY_CHARS).replace(/\s+/g, ' ').trim();
}
