import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  TransformersProviderError,
  createTransformersProvider,
  type TransformersProvider,
} from '../../../src/providers/transformers/index.js';

/** Whether `@huggingface/transformers` can be resolved from the embedder (it is optional). */
function transformersInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@huggingface/transformers/package.json');
    return true;
  } catch (err) {
    // Installed but not exporting package.json still counts as installed.
    return (err as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

async function rejectionOf(p: Promise<unknown>): Promise<TransformersProviderError> {
  try {
    await p;
  } catch (err) {
    return err as TransformersProviderError;
  }
  throw new Error('expected a rejection');
}

const installed = transformersInstalled();

describe('transformers provider: start-up errors', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'trendmill-tf-it-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function modelLikeFolder(): Promise<string> {
    const dir = join(root, 'all-MiniLM-L6-v2');
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFile(join(dir, 'config.json'), '{"model_type":"bert"}');
    await writeFile(join(dir, 'tokenizer.json'), '{}');
    await writeFile(join(dir, 'onnx', 'model.onnx'), Buffer.alloc(16));
    return dir;
  }

  (installed ? it.skip : it)(
    `says to install @huggingface/transformers and set MODEL_DIR when the package is missing${installed ? ' (skipped: @huggingface/transformers is installed)' : ''}`,
    async () => {
      const err = await rejectionOf(createTransformersProvider({ modelDir: await modelLikeFolder() }));
      expect(err).to.be.instanceOf(TransformersProviderError);
      expect(err.code).to.equal('package_missing');
      expect(err.message).to.include('npm install @huggingface/transformers');
      expect(err.message).to.include('MODEL_DIR');
      expect(err.message).to.include('onnx/model.onnx');
    },
  );

  it('says MODEL_DIR is not set, and what it must hold', async () => {
    const saved = process.env.MODEL_DIR;
    delete process.env.MODEL_DIR;
    try {
      const err = await rejectionOf(createTransformersProvider({}));
      expect(err.code).to.equal('model_dir_missing');
      expect(err.message).to.match(
        /MODEL_DIR is not set.*config\.json, tokenizer\.json and onnx\/model\.onnx/,
      );
    } finally {
      if (saved !== undefined) process.env.MODEL_DIR = saved;
    }
  });

  it('says when MODEL_DIR does not exist or is a file', async () => {
    const missing = await rejectionOf(createTransformersProvider({ modelDir: join(root, 'nope') }));
    expect(missing.code).to.equal('model_dir_invalid');
    expect(missing.message).to.include('does not exist');
    const file = join(root, 'file');
    await writeFile(file, 'x');
    const notDir = await rejectionOf(createTransformersProvider({ modelDir: file }));
    expect(notDir.code).to.equal('model_dir_invalid');
    expect(notDir.message).to.include('is not a folder');
  });

  it('lists the files a model folder lacks', async () => {
    const dir = join(root, 'half-a-model');
    await mkdir(dir);
    await writeFile(join(dir, 'config.json'), '{}');
    const err = await rejectionOf(createTransformersProvider({ modelDir: dir }));
    expect(err.code).to.equal('model_files_missing');
    expect(err.message).to.include('lacks tokenizer.json, onnx/model.onnx');
  });
});

const modelDir = process.env.MODEL_DIR;
const skipReason = !modelDir
  ? ' (skipped: MODEL_DIR not set)'
  : !installed
    ? ' (skipped: @huggingface/transformers not installed)'
    : '';
(skipReason ? describe.skip : describe)(`transformers provider with a real model${skipReason}`, function () {
  this.timeout(120_000);
  let provider: TransformersProvider;
  before(async () => (provider = await createTransformersProvider({ modelDir: modelDir!, maxBatch: 8 })));
  after(() => provider?.close());

  it('embeds into unit vectors of the model dimension, related texts closer than unrelated ones', async () => {
    expect(provider.kind).to.equal('transformers');
    expect(provider.model).to.match(/^transformers:[\w.-]+@[0-9a-f]{12}$/);
    const [a, b, c] = await provider.embed([
      'The central bank raised interest rates again.',
      'Interest rates were increased by the central bank.',
      'A recipe for sourdough bread with a crispy crust.',
    ]);
    for (const v of [a!, b!, c!]) {
      expect(v.length).to.equal(provider.dim);
      expect(Math.hypot(...v)).to.be.closeTo(1, 1e-4);
    }
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
    expect(dot(a!, b!)).to.be.greaterThan(dot(a!, c!));
  });

  it('gives a text the same vector alone and inside a padded batch', async () => {
    const text = 'Short text.';
    const [alone] = await provider.embed([text]);
    const batch = await provider.embed([
      'A much longer text that forces padding of the shorter one in the batch.',
      text,
    ]);
    alone!.forEach((x, i) => expect(batch[1]![i]).to.be.closeTo(x, 1e-4));
  });
});
