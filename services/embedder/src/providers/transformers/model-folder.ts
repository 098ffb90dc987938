import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TransformersProviderError } from './errors.js';

/** Weight file per precision, as transformers.js names them inside `onnx/`. */
export const MODEL_FILES = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q4: 'model_q4.onnx',
} as const;
export type ModelDtype = keyof typeof MODEL_FILES;

export interface ModelFolder {
  /** Absolute path of the folder. */
  path: string;
  /** Its parent (transformers.js `env.localModelPath`) and its name (the model id it loads). */
  parent: string;
  name: string;
  /** `transformers:<folder>@<hash>`: changes when the config or the weights change. */
  modelId: string;
}

const HELP =
  'MODEL_DIR must be a folder holding an ONNX sentence-transformer as transformers.js expects it: ' +
  'config.json, tokenizer.json and onnx/model.onnx (e.g. a copy of Xenova/all-MiniLM-L6-v2)';

/**
 * Checks a local model folder before anything heavy is loaded, and derives the model id. The
 * hash covers config.json and the weight file's size: cheap to compute on every start (no
 * hashing of hundreds of megabytes) and different for a different architecture, checkpoint
 * shape or precision. Swapping weights for same-sized ones with an identical config is not
 * detected; give such a model a new folder name.
 */
export async function inspectModelFolder(
  modelDir: string | undefined,
  dtype: ModelDtype,
): Promise<ModelFolder> {
  if (!modelDir?.trim())
    throw new TransformersProviderError(`MODEL_DIR is not set. ${HELP}`, 'model_dir_missing');
  const path = resolve(modelDir);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory())
    throw new TransformersProviderError(
      `MODEL_DIR ${JSON.stringify(path)} ${info ? 'is not a folder' : 'does not exist'}. ${HELP}`,
      'model_dir_invalid',
    );
  const weights = join('onnx', MODEL_FILES[dtype]);
  const sizes = await Promise.all(
    ['config.json', 'tokenizer.json', weights].map(async (file) => {
      const s = await stat(join(path, file)).catch(() => undefined);
      return { file, size: s?.isFile() ? s.size : undefined };
    }),
  );
  const missing = sizes.filter((s) => s.size === undefined).map((s) => s.file);
  if (missing.length)
    throw new TransformersProviderError(
      `MODEL_DIR ${JSON.stringify(path)} lacks ${missing.join(', ')}${dtype === 'fp32' ? '' : ` (dtype ${dtype})`}. ${HELP}`,
      'model_files_missing',
    );
  const config = await readFile(join(path, 'config.json'));
  try {
    JSON.parse(config.toString('utf8'));
  } catch {
    throw new TransformersProviderError(
      `${join(path, 'config.json')} is not valid JSON. ${HELP}`,
      'model_files_missing',
    );
  }
  const hash = createHash('sha256')
    .update(config)
    .update(`\n${weights}:${sizes[2]!.size}`)
    .digest('hex')
    .slice(0, 12);
  const name = basename(path);
  const label = name.replace(/[^\w.-]+/g, '_').slice(0, 120);
  return { path, parent: dirname(path), name, modelId: `transformers:${label}@${hash}` };
}
