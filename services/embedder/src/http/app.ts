import express, { type Express, type Request } from 'express';
import { z } from 'zod';
import {
  ApiError,
  apiErrorHandler,
  jsonBody,
  notFound,
  requireApiKey,
  validateBody,
  type Logger,
} from '@trendmill/platform';
import { encodeVector } from '@trendmill/shared-contracts';
import { InvalidEmbeddingInputError, ProviderUnavailableError } from '../providers/port.js';
import { UnknownModelError, type EmbedderService } from '../service/embedder-service.js';

export interface EmbedderAppOptions {
  logger: Logger;
  /** When set, every request needs one of these keys. */
  apiKeys?: readonly string[];
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Most texts per POST /embed (default 256). */
  maxTexts?: number;
  /** Longest text accepted (default 20,000 characters; longer texts are cut before embedding anyway). */
  maxTextChars?: number;
}

/**
 * The embedder's internal HTTP API:
 * - `POST /embed` `{ texts: string[], model?, encoding?: 'float' | 'base64' }` → `{ model, dim, vectors }`
 *   with the live model (query-time embedding for the query service);
 * - `GET /info` → the live model, dimension, provider and cache;
 * - `POST /reembed` `{ model }` → 202 with a job; `GET /reembed`, `GET /reembed/:id` → progress.
 */
export function createEmbedderApp(service: EmbedderService, options: EmbedderAppOptions): Express {
  const maxTexts = options.maxTexts ?? 256;
  const maxTextChars = options.maxTextChars ?? 20_000;
  const embedRequest = z.object({
    texts: z.array(z.string().max(maxTextChars)).min(1).max(maxTexts),
    model: z.string().max(300).optional(),
    encoding: z.enum(['float', 'base64']).default('float'),
  });
  const reembedRequest = z.object({ model: z.string().min(1).max(300) });

  const app = express();
  app.disable('x-powered-by');
  app.use(requireApiKey(options.apiKeys ?? []));
  app.use(jsonBody(options.maxBodyBytes ?? 1024 * 1024));

  app.get('/info', (_req, res) => {
    res.json({
      model: service.model,
      dim: service.dim,
      provider: service.provider.kind,
      maxBatch: maxTexts,
      cacheHitRatio: service.embedder.hitRatio(service.model) ?? null,
    });
  });

  app.post('/embed', async (req: Request, res) => {
    const body = validateBody(embedRequest, req.body);
    if (body.model !== undefined && body.model !== service.model)
      throw new ApiError(
        409,
        'model_mismatch',
        `this embedder serves model "${service.model}", not "${body.model}": vectors of two models must not be compared`,
        { model: service.model },
      );
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) controller.abort();
    });
    const vectors = await service.embedTexts(body.texts, controller.signal);
    res.json({
      model: service.model,
      dim: service.dim,
      encoding: body.encoding,
      vectors: vectors.map((v) => (body.encoding === 'base64' ? encodeVector(v) : Array.from(v))),
    });
  });

  app.post('/reembed', async (req, res) => {
    const body = validateBody(reembedRequest, req.body);
    const job = await service.startReembed(body.model);
    res.status(202).location(`reembed/${job.id}`).json(job);
  });

  app.get('/reembed', (_req, res) => {
    res.json({ jobs: service.reembeds.list() });
  });

  app.get('/reembed/:id', (req, res) => {
    const job = service.reembeds.get(String(req.params.id));
    if (!job) throw new ApiError(404, 'job_not_found', `no reembed job ${String(req.params.id)}`);
    res.json(job);
  });

  app.use(notFound());
  app.use(
    apiErrorHandler({
      logger: options.logger,
      service: 'embedder',
      translate: (err) => {
        if (err instanceof UnknownModelError)
          return new ApiError(400, 'unknown_model', err.message, { known: err.known });
        if (err instanceof ProviderUnavailableError) {
          const seconds = Math.max(1, Math.ceil((err.retryAfterMs ?? 5_000) / 1000));
          return new ApiError(503, 'provider_unavailable', err.message, undefined, {
            'retry-after': String(seconds),
          });
        }
        if (err instanceof InvalidEmbeddingInputError)
          return new ApiError(422, 'embedding_rejected', err.message);
        return undefined;
      },
    }),
  );
  return app;
}
