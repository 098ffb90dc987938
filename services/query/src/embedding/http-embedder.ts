import CircuitBreaker from 'opossum';
import { z } from 'zod';
import { decodeVector } from '@trendmill/shared-contracts';
import { EmbedderUnavailableError, type QueryEmbedder, type QueryVector } from './port.js';

export interface HttpQueryEmbedderOptions {
  /** Sent as `Authorization: Bearer KEY` (the embedder's EMBEDDER_API_KEYS). */
  apiKey?: string;
  /** Time limit of one call (default 2 s: a search waits for it). */
  timeoutMs?: number;
  resetTimeoutMs?: number;
  fetch?: typeof fetch;
}

const embedResponse = z.object({
  model: z.string().min(1),
  dim: z.number().int().min(1).max(8192),
  vectors: z.array(z.string()).length(1),
});

/**
 * The distributed adapter: the embedder's internal `POST /embed` (base64 vectors), behind an
 * opossum breaker so a down embedder costs searches one fast failure instead of a timeout each.
 */
export function createHttpQueryEmbedder(
  baseUrl: string,
  options: HttpQueryEmbedderOptions = {},
): QueryEmbedder {
  const url = new URL('embed', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`EMBEDDER_URL must be http(s), got ${url.protocol}`);
  const timeoutMs = options.timeoutMs ?? 2_000;
  const doFetch = options.fetch ?? fetch;

  async function call(text: string, signal: AbortSignal | undefined): Promise<QueryVector> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const response = await doFetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ texts: [text], encoding: 'base64' }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    if (!response.ok) throw new Error(`embedder answered ${response.status}`);
    const body = embedResponse.parse(await response.json());
    return { model: body.model, vector: decodeVector(body.vectors[0]!, body.dim) };
  }

  const breaker = new CircuitBreaker(call, {
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: options.resetTimeoutMs ?? 5_000,
  });

  return {
    async embed(text, callOptions) {
      try {
        return await breaker.fire(text, callOptions?.signal);
      } catch (err) {
        if (callOptions?.signal?.aborted) throw err;
        const open = (err as { code?: unknown }).code === 'EOPENBREAKER';
        throw new EmbedderUnavailableError(
          open ? 'embedder unavailable (circuit open)' : `embedder call failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
    },
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed'),
    close: () => breaker.shutdown(),
  };
}
