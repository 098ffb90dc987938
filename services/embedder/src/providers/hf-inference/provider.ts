import {
  InferenceClient,
  InferenceClientInputError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
} from '@huggingface/inference';
import { z } from 'zod';
import { configFields } from '@trendmill/platform';
import type { EmbeddingProvider } from '../port.js';
import {
  RemoteCallError,
  classifyStatus,
  guarded,
  parseRetryAfter,
  type GuardEvent,
  type GuardSnapshot,
} from '../resilience/index.js';
import { toVectors } from './response.js';

export const DEFAULT_HF_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';

const optionsSchema = z.object({
  model: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/, 'expected a Hugging Face model id like owner/name')
    .default(DEFAULT_HF_MODEL),
  token: z.string().min(1).optional(),
  endpointUrl: configFields.httpUrl.optional(),
  dim: z.number().int().min(1).max(65_536).optional(),
  maxBatch: z.number().int().min(1).max(1024).default(32),
  timeoutMs: z.number().int().min(1).max(600_000).default(15_000),
  retries: z.number().int().min(0).max(10).default(2),
  backoffMs: z.number().int().min(0).max(60_000).default(250),
  maxRetryWaitMs: z.number().int().min(0).max(600_000).default(10_000),
  /** Ask the server to cut texts longer than the model's window instead of refusing them (413). */
  truncate: z.boolean().default(true),
  breaker: z
    .object({
      errorThresholdPercentage: z.number().min(1).max(100).default(50),
      volumeThreshold: z.number().int().min(1).max(10_000).default(5),
      resetTimeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
      rollingWindowMs: z.number().int().min(10).max(3_600_000).default(10_000),
    })
    .prefault({}),
});

export type HfInferenceOptions = z.input<typeof optionsSchema> & {
  /** Breaker state changes, attempt outcomes, retries (for metrics). */
  onEvent?: (event: GuardEvent) => void;
  /** Replaces global fetch (a proxy, or a test redirecting Hugging Face's hosts). */
  fetch?: typeof fetch;
};

/** Options that can never work (bad model id, URL, numbers; no token for Hugging Face's API). */
export class HfInferenceConfigError extends Error {
  override readonly name = 'HfInferenceConfigError';
  constructor(
    message: string,
    readonly code: 'invalid_options' | 'token_missing',
  ) {
    super(message);
  }
}

export interface HfInferenceProvider extends EmbeddingProvider {
  readonly kind: 'hf-inference';
  /** Vector length; 0 until known when not configured (learned from the first answer, or ready()). */
  readonly dim: number;
  /** Learns the vector length now (one probe request when unknown) and returns it. */
  ready(options?: { signal?: AbortSignal }): Promise<number>;
  /** Breaker state and counters. */
  health(): GuardSnapshot;
}

const PROBE_TEXT = 'dimension probe';

/**
 * Embeddings from Hugging Face Inference (`hf:<model>`) or a self-hosted, feature-extraction
 * compatible server such as text-embeddings-inference (`endpointUrl`, `tei:<model>`), through
 * `@huggingface/inference` behind a circuit breaker.
 *
 * The model id names the vector space. Vectors depend on the weights and on the server's
 * pooling, normalisation and truncation, not on which host runs them, so every replica, move or
 * rename of one self-hosted deployment shares `tei:<model>` (a URL hash would split the cache and
 * the collection whenever a host name changes). Hugging Face's service and a self-hosted server
 * may differ in those defaults, so they get different prefixes. The operator who sets
 * `endpointUrl` vouches that it serves `model`; a server that starts answering with another
 * vector length is refused (ProviderUnavailableError), never mixed in.
 *
 * The token lives only in this closure and the client: it is never logged, and the library
 * redacts it from the errors it builds.
 */
export function createHfInferenceProvider(options: HfInferenceOptions = {}): HfInferenceProvider {
  const parsed = optionsSchema.safeParse({
    ...options,
    token: options.token ?? (process.env.HF_TOKEN || undefined),
  });
  if (!parsed.success)
    throw new HfInferenceConfigError(
      `invalid hf-inference options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
      'invalid_options',
    );
  const o = parsed.data;
  if (!o.endpointUrl && !o.token)
    throw new HfInferenceConfigError(
      "Hugging Face's Inference API needs an access token: set HF_TOKEN (or pass endpointUrl for a self-hosted server)",
      'token_missing',
    );

  const model = `${o.endpointUrl ? 'tei' : 'hf'}:${o.model}`;
  const name = `hf-inference(${model})`;
  const baseFetch = options.fetch ?? fetch;
  const client = new InferenceClient(o.token ?? '', o.endpointUrl ? { endpointUrl: o.endpointUrl } : {});
  let dim = o.dim;
  let closed = false;
  let probing: Promise<number> | undefined;

  async function request(texts: string[], signal: AbortSignal): Promise<unknown> {
    // The library keeps only the status of a failed response; Retry-After is read here.
    let failed: { status: number; retryAfterMs: number | undefined } | undefined;
    const observingFetch: typeof fetch = async (input, init) => {
      const res = await baseFetch(input, init);
      if (!res.ok)
        failed = { status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
      return res;
    };
    try {
      return await client.featureExtraction(
        {
          model: o.model,
          // With endpointUrl the library refuses a provider; without, pin hf-inference (never 'auto').
          ...(o.endpointUrl ? {} : { provider: 'hf-inference' as const }),
          inputs: texts,
          ...(o.truncate ? { truncate: true } : {}),
        },
        // retry_on_error:false — the library would otherwise re-send 503s at once, forever.
        { signal, fetch: observingFetch, retry_on_error: false },
      );
    } catch (err) {
      throw explain(err, failed);
    }
  }

  function accept(vectors: Float32Array[]): Float32Array[] {
    const got = vectors[0]!.length;
    if (dim === undefined) dim = got;
    else if (got !== dim)
      throw new RemoteCallError(
        `answered with ${got}-dimensional vectors, expected ${dim}: the server no longer serves ${model}; ` +
          'fix the endpoint or configure the new model (vectors of different models are never mixed)',
        'unavailable',
      );
    return vectors;
  }

  const guard = guarded(
    async (texts: string[], signal) => accept(toVectors(await request(texts, signal), texts.length)),
    {
      name,
      timeoutMs: o.timeoutMs,
      retries: o.retries,
      backoffMs: o.backoffMs,
      maxRetryWaitMs: o.maxRetryWaitMs,
      breaker: o.breaker,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    },
  );

  async function embed(
    texts: readonly string[],
    opts: { signal?: AbortSignal } = {},
  ): Promise<Float32Array[]> {
    if (closed) throw new Error(`${name} is closed`);
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += o.maxBatch)
      out.push(...(await guard.run(texts.slice(start, start + o.maxBatch), opts)));
    return out;
  }

  return {
    kind: 'hf-inference',
    model,
    maxBatch: o.maxBatch,
    get dim() {
      return dim ?? 0;
    },
    embed,
    async ready(opts = {}) {
      if (dim !== undefined) return dim;
      probing ??= embed([PROBE_TEXT], opts)
        .then(() => dim!)
        .finally(() => (probing = undefined));
      return probing;
    },
    health: () => guard.snapshot(),
    async close() {
      closed = true;
      guard.close();
    },
  };
}

/** Gives a library error the kind the guard needs, with the HTTP status and Retry-After it had. */
function explain(
  err: unknown,
  failed: { status: number; retryAfterMs: number | undefined } | undefined,
): unknown {
  const message = err instanceof Error ? err.message : String(err);
  if (failed) {
    const kind = classifyStatus(failed.status) ?? 'unavailable';
    return new RemoteCallError(`HTTP ${failed.status}: ${message}`, kind, {
      status: failed.status,
      ...(failed.retryAfterMs === undefined ? {} : { retryAfterMs: failed.retryAfterMs }),
      cause: err,
    });
  }
  // The library's own refusals (bad arguments, no route, unreadable answer) repeat on every call.
  if (
    err instanceof InferenceClientInputError ||
    err instanceof InferenceClientRoutingError ||
    err instanceof InferenceClientProviderOutputError
  )
    return new RemoteCallError(message, 'unavailable', { cause: err });
  return err;
}
