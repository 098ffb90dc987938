import { z } from 'zod';
import { normalizeInPlace, type EmbeddingProvider } from '../port.js';
import { TransformersProviderError } from './errors.js';
import { MODEL_FILES, inspectModelFolder, type ModelDtype } from './model-folder.js';

/** Kept in a string variable so TypeScript and bundlers never try to resolve the optional package. */
const PACKAGE: string = '@huggingface/transformers';

/** The slice of `@huggingface/transformers` this provider uses (the package is optional). */
export interface TransformersModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(
    task: 'feature-extraction',
    model: string,
    options?: Record<string, unknown>,
  ): Promise<FeatureExtractor>;
}
export interface FeatureExtractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<TensorLike>;
  dispose?(): Promise<unknown> | unknown;
}
export interface TensorLike {
  dims: readonly number[];
  data: ArrayLike<number>;
}

const optionsSchema = z.object({
  modelDir: z.string().optional(),
  maxBatch: z.number().int().min(1).max(1024).default(32),
  dtype: z.enum(Object.keys(MODEL_FILES) as [ModelDtype, ...ModelDtype[]]).default('fp32'),
});

export type TransformersOptions = z.input<typeof optionsSchema> & {
  /** Loads the package (default: `import('@huggingface/transformers')`); lets a caller supply its own build. */
  importModule?: () => Promise<unknown>;
};

export interface TransformersProvider extends EmbeddingProvider {
  readonly kind: 'transformers';
  /** The folder the model was loaded from. */
  readonly modelDir: string;
}

const PROBE_TEXT = 'dimension probe';

/**
 * Embeddings computed in-process by transformers.js from a local ONNX sentence-transformer
 * (mean pooling, L2-normalised, like sentence-transformers' defaults for such models).
 *
 * `@huggingface/transformers` is optional (about 500 MB with onnxruntime): it is imported only
 * here, when this provider is created. Nothing is ever downloaded: remote models are disabled and
 * the model is read from MODEL_DIR. Creation loads the model and embeds one probe text, so a
 * broken folder fails at start-up, not on the first item, and `dim` is known from then on.
 */
export async function createTransformersProvider(
  options: TransformersOptions = {},
): Promise<TransformersProvider> {
  const parsed = optionsSchema.safeParse({ ...options, modelDir: options.modelDir ?? process.env.MODEL_DIR });
  if (!parsed.success)
    throw new TransformersProviderError(
      `invalid transformers options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
      'invalid_options',
    );
  const { maxBatch, dtype } = parsed.data;
  const folder = await inspectModelFolder(parsed.data.modelDir, dtype);
  const lib = await loadPackage(options.importModule ?? (() => import(PACKAGE)));

  let extractor: FeatureExtractor;
  try {
    extractor = await loadPipeline(lib, folder.parent, folder.name, dtype);
  } catch (err) {
    throw new TransformersProviderError(
      `could not load the model in ${JSON.stringify(folder.path)}: ${err instanceof Error ? err.message : String(err)}`,
      'model_load_failed',
      { cause: err },
    );
  }

  // One inference at a time: ONNX runtime already uses every core for one batch, and parallel
  // batches would only multiply memory.
  let queue: Promise<unknown> = Promise.resolve();
  const run = (texts: string[]): Promise<Float32Array[]> => {
    const next = queue.then(async () =>
      rows(await extractor(texts, { pooling: 'mean', normalize: true }), texts.length),
    );
    queue = next.catch(() => undefined);
    return next;
  };

  let probe: Float32Array[];
  try {
    probe = await run([PROBE_TEXT]);
  } catch (err) {
    await extractor.dispose?.();
    throw err;
  }
  const dim = probe[0]!.length;
  let closed = false;

  return {
    kind: 'transformers',
    model: folder.modelId,
    dim,
    maxBatch,
    modelDir: folder.path,
    async embed(texts, opts = {}) {
      if (closed) throw new Error(`transformers provider ${folder.modelId} is closed`);
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += maxBatch) {
        opts.signal?.throwIfAborted();
        const vectors = await run(texts.slice(start, start + maxBatch));
        for (const v of vectors)
          if (v.length !== dim)
            throw new TransformersProviderError(
              `model returned ${v.length} values, expected ${dim}`,
              'unexpected_output',
            );
        out.push(...vectors);
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await extractor.dispose?.();
    },
  };
}

/** `env` is global to the package: loads run one at a time so each sees its own localModelPath. */
let loading: Promise<unknown> = Promise.resolve();

function loadPipeline(
  lib: TransformersModule,
  parent: string,
  name: string,
  dtype: ModelDtype,
): Promise<FeatureExtractor> {
  const next = loading.then(() => {
    // Offline by construction: only the local folder, never the Hub.
    lib.env.allowRemoteModels = false;
    lib.env.allowLocalModels = true;
    lib.env.localModelPath = `${parent}/`;
    return lib.pipeline('feature-extraction', name, { dtype, local_files_only: true });
  });
  loading = next.catch(() => undefined);
  return next;
}

async function loadPackage(importModule: () => Promise<unknown>): Promise<TransformersModule> {
  let mod: unknown;
  try {
    mod = await importModule();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(PACKAGE))
      throw new TransformersProviderError(
        `the transformers provider needs the optional package ${PACKAGE}, which is not installed. ` +
          `Install it with \`ONNXRUNTIME_NODE_INSTALL=skip npm install ${PACKAGE}\` (the plain install ` +
          'tries to download a CUDA runtime), and set MODEL_DIR to a folder with an ONNX sentence-transformer ' +
          '(config.json, tokenizer.json, onnx/model.onnx).',
        'package_missing',
        { cause: err },
      );
    throw new TransformersProviderError(
      `${PACKAGE} is installed but failed to load: ${message}`,
      'package_broken',
      {
        cause: err,
      },
    );
  }
  const lib = (
    (mod as { default?: unknown }).default && !(mod as { pipeline?: unknown }).pipeline
      ? (mod as { default: unknown }).default
      : mod
  ) as Partial<TransformersModule>;
  if (typeof lib.pipeline !== 'function' || typeof lib.env !== 'object' || lib.env === null)
    throw new TransformersProviderError(
      `${PACKAGE} loaded but has no pipeline()/env: unsupported version`,
      'package_broken',
    );
  return lib as TransformersModule;
}

/** Splits a `[n, dim]` tensor into n unit vectors. */
function rows(tensor: TensorLike, n: number): Float32Array[] {
  const [count, dim] = tensor.dims;
  if (tensor.dims.length !== 2 || count !== n || !dim || tensor.data.length !== n * dim)
    throw new TransformersProviderError(
      `expected a [${n}, dim] tensor from the feature-extraction pipeline, got [${tensor.dims.join(', ')}]`,
      'unexpected_output',
    );
  return Array.from({ length: n }, (_, i) => {
    const v = Float32Array.from({ length: dim }, (_, k) => tensor.data[i * dim + k]!);
    if (!v.every(Number.isFinite))
      throw new TransformersProviderError('the model produced a non-finite value', 'unexpected_output');
    return normalizeInPlace(v);
  });
}
