import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TransformersProviderError } from './errors.js';
import { createTransformersProvider, type TensorLike, type TransformersModule } from './provider.js';

/**
 * A stand-in for `@huggingface/transformers` (not installed here): it records how the provider
 * configures and calls the package and answers with deterministic, non-normalised vectors.
 */
function standIn(dim = 4) {
  const calls = { pipeline: [] as unknown[][], extract: [] as unknown[][], disposed: 0 };
  const lib: TransformersModule = {
    env: { allowRemoteModels: true, allowLocalModels: false, localModelPath: '/models/' },
    async pipeline(...args) {
      calls.pipeline.push([...args, { ...lib.env }]);
      const extractor = async (texts: string[], options: object): Promise<TensorLike> => {
        calls.extract.push([texts, options]);
        const data = texts.flatMap((t) => Array.from({ length: dim }, (_, k) => t.length + k + 1));
        return { dims: [texts.length, dim], data: Float32Array.from(data) };
      };
      return Object.assign(extractor, { dispose: async () => void calls.disposed++ });
    },
  };
  return { lib, calls };
}

async function rejectionOf(p: Promise<unknown>): Promise<TransformersProviderError> {
  try {
    await p;
  } catch (err) {
    return err as TransformersProviderError;
  }
  throw new Error('expected a rejection');
}

describe('createTransformersProvider (with a stand-in package)', () => {
  let root: string;
  let modelDir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'trendmill-tf-'));
    modelDir = join(root, 'mini lm');
    await mkdir(join(modelDir, 'onnx'), { recursive: true });
    await writeFile(join(modelDir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 4 }));
    await writeFile(join(modelDir, 'tokenizer.json'), '{}');
    await writeFile(join(modelDir, 'onnx', 'model.onnx'), Buffer.alloc(1000));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('loads the folder offline with mean pooling and normalisation, and learns dim from a probe', async () => {
    const { lib, calls } = standIn(4);
    const p = await createTransformersProvider({ modelDir, importModule: async () => lib });
    expect(calls.pipeline).to.deep.equal([
      [
        'feature-extraction',
        'mini lm',
        { dtype: 'fp32', local_files_only: true },
        { allowRemoteModels: false, allowLocalModels: true, localModelPath: `${root}/` },
      ],
    ]);
    expect(calls.extract).to.deep.equal([[['dimension probe'], { pooling: 'mean', normalize: true }]]);
    expect(p).to.include({ kind: 'transformers', dim: 4, maxBatch: 32, modelDir });
    expect(p.model).to.match(/^transformers:mini_lm@[0-9a-f]{12}$/);
    await p.close();
    expect(calls.disposed).to.equal(1);
  });

  it('returns unit vectors in input order, split into batches of maxBatch', async () => {
    const { lib, calls } = standIn(3);
    const p = await createTransformersProvider({ modelDir, maxBatch: 2, importModule: async () => lib });
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const out = await p.embed(texts);
    expect(calls.extract.slice(1).map(([t]) => t)).to.deep.equal([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    texts.forEach((t, i) => {
      const raw = [t.length + 1, t.length + 2, t.length + 3];
      const n = Math.hypot(...raw);
      raw.forEach((x, k) => expect(out[i]![k]).to.be.closeTo(x / n, 1e-6));
    });
  });

  it('derives a model id that changes with config.json or the weight file, and only then', async () => {
    const id = async () => {
      const p = await createTransformersProvider({ modelDir, importModule: async () => standIn().lib });
      await p.close();
      return p.model;
    };
    const first = await id();
    expect(await id()).to.equal(first);
    await writeFile(join(modelDir, 'onnx', 'model.onnx'), Buffer.alloc(1001));
    const resized = await id();
    expect(resized).not.to.equal(first);
    await writeFile(join(modelDir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 5 }));
    expect(await id()).not.to.equal(resized);
  });

  it('uses the weight file of the requested precision', async () => {
    const err = await rejectionOf(
      createTransformersProvider({ modelDir, dtype: 'q8', importModule: async () => standIn().lib }),
    );
    expect(err.code).to.equal('model_files_missing');
    expect(err.message).to.include('onnx/model_quantized.onnx');
  });

  it('tells a broken install apart from a missing package', async () => {
    const missingDep = Object.assign(new Error("Cannot find package 'onnxruntime-node' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const err = await rejectionOf(
      createTransformersProvider({
        modelDir,
        importModule: async () => {
          throw missingDep;
        },
      }),
    );
    expect(err.code).to.equal('package_broken');
    expect(err.cause).to.equal(missingDep);
    const empty = await rejectionOf(createTransformersProvider({ modelDir, importModule: async () => ({}) }));
    expect(empty.code).to.equal('package_broken');
  });

  it('reports a model that fails to load, and output of the wrong shape', async () => {
    const { lib } = standIn();
    const failing = await rejectionOf(
      createTransformersProvider({
        modelDir,
        importModule: async () => ({
          ...lib,
          pipeline: async () => Promise.reject(new Error('bad protobuf')),
        }),
      }),
    );
    expect(failing.code).to.equal('model_load_failed');
    expect(failing.message).to.include('bad protobuf');

    const flat = Object.assign(
      async (): Promise<TensorLike> => ({ dims: [1, 2, 3], data: new Float32Array(6) }),
      {},
    );
    const shaped = await rejectionOf(
      createTransformersProvider({
        modelDir,
        importModule: async () => ({ ...lib, pipeline: async () => flat }),
      }),
    );
    expect(shaped.code).to.equal('unexpected_output');
  });

  it('refuses invalid options with a typed error', async () => {
    const err = await rejectionOf(createTransformersProvider({ modelDir, maxBatch: 0 }));
    expect(err).to.be.instanceOf(TransformersProviderError);
    expect(err.code).to.equal('invalid_options');
  });
});
