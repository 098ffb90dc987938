import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../usage-error.js';
import { evalCommand } from './eval.js';

const fixture = fileURLToPath(
  new URL('../../../embedder/test/fixtures/eval/stackoverflow-sample.jsonl', import.meta.url),
);

/** Runs the command with stdout (console.log) and stderr captured. */
async function run(argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const stdout: string[] = [];
  let stderr = '';
  const log = console.log;
  const write = process.stderr.write;
  console.log = (...args: unknown[]) => void stdout.push(args.map(String).join(' '));
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await evalCommand.run(argv), stdout, stderr };
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
}

async function failure(argv: string[]): Promise<Error> {
  try {
    await run(argv);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`expected "${argv.join(' ')}" to fail`);
}

describe('trendmill eval embed', function () {
  // Loads the local model's word vectors (about 2 s) on first use.
  this.timeout(60_000);

  it('prints the scores as one JSON object on the last stdout line, progress on stderr', async () => {
    const { code, stdout, stderr } = await run(['embed', '--data', fixture, '--restarts', '3']);
    expect(code).to.equal(0);
    const result = JSON.parse(stdout.at(-1)!);
    expect(Object.keys(result)).to.deep.equal([
      'dataset',
      'n',
      'k',
      'embedder',
      'acc',
      'nmi',
      'ari',
      'seconds',
    ]);
    expect(result).to.include({ dataset: 'stackoverflow-sample', n: 300, k: 20, embedder: 'local' });
    for (const metric of ['acc', 'nmi', 'ari', 'seconds']) expect(result[metric]).to.be.a('number');
    // 20 clusters of 300 items by chance score NMI ≈ 0.2 (small-sample bias), ARI ≈ 0, ACC ≈ 0.15.
    expect(result.nmi).to.be.above(0.55);
    expect(result.acc).to.be.above(0.5);
    expect(result.ari).to.be.above(0.25);
    expect(stderr).to.match(/read 300 items with 20 labels/);
    expect(stderr).to.match(/embedding with trendmill-local-v1: 300\/300/);
    expect(stderr).to.match(/k-means: k=20, 3 restart\(s\), seed 0/);
  });

  it('is repeatable for a seed and honours --k and --limit', async () => {
    const args = ['embed', '--data', fixture, '--restarts', '2', '--seed', '5', '--limit', '120', '--k', '6'];
    const first = JSON.parse((await run(args)).stdout.at(-1)!);
    const again = JSON.parse((await run(args)).stdout.at(-1)!);
    expect(first).to.include({ n: 120, k: 6 });
    expect({ ...again, seconds: 0 }).to.deep.equal({ ...first, seconds: 0 });
  });

  it('refuses unknown embedders, evaluations and bad numbers with a usage error', async () => {
    const unknown = await failure(['embed', '--data', fixture, '--embedder', 'gpt']);
    expect(unknown).to.be.instanceOf(UsageError);
    expect(unknown.message).to.equal('unknown embedder "gpt"; known embedders: local');
    expect(await failure(['bogus', '--data', fixture])).to.be.instanceOf(UsageError);
    expect(await failure(['embed'])).to.be.instanceOf(UsageError);
    expect((await failure(['embed', '--data', fixture, '--k', '0'])).message).to.match(
      /--k must be an integer ≥ 1/,
    );
    expect((await failure(['embed', '--data', fixture, '--restarts', '2.5'])).message).to.match(/--restarts/);
    expect((await failure(['embed', '--data', fixture, '--seed', '-1'])).message).to.match(/--seed/);
    expect((await failure(['embed', '--data', fixture, '--k', '999'])).message).to.match(
      /exceeds the number of items/,
    );
    expect(await failure(['embed', '--data', fixture, '--bogus'])).to.be.instanceOf(UsageError);
  });

  it('reports a missing file and a bad line with its number', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tm-eval-cli-'));
    const missing = await failure(['embed', '--data', join(dir, 'none.jsonl')]);
    expect(missing.message).to.match(/no such file: .*none\.jsonl/);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"id":"1","text":"a","label":"x"}\n{"id":"2","text":"b"}\n');
    expect((await failure(['embed', '--data', bad])).message).to.match(/^line 2: "label"/);
  });

  it('prints its usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).to.equal(0);
    expect(stdout.join('\n')).to.contain('trendmill eval embed --data FILE');
  });
});

describe('trendmill eval cluster', function () {
  this.timeout(120_000);

  it('streams the items through normalizer, embedder and engine and scores the clusters it found', async () => {
    const { code, stdout, stderr } = await run(['cluster', '--data', fixture]);
    expect(code).to.equal(0);
    const result = JSON.parse(stdout.at(-1)!);
    expect(Object.keys(result)).to.deep.equal([
      'dataset',
      'n',
      'embedder',
      'clusters',
      'noise_fraction',
      'acc',
      'nmi',
      'ari',
      'stability',
      'seconds',
    ]);
    expect(result).to.include({ dataset: 'stackoverflow-sample', n: 300, embedder: 'local' });
    // Found without k: more than one topic, most items placed, and far better than chance (NMI ≈ 0.2).
    expect(result.clusters).to.be.within(5, 60);
    expect(result.noise_fraction).to.be.below(0.3);
    expect(result.nmi).to.be.above(0.45);
    expect(result.stability).to.be.within(0.95, 1);
    expect(stderr).to.match(/read 300 items with 20 labels/);
    expect(stderr).to.match(/streamed 300\/300 items into the engine/);
  });

  it('is repeatable for a seed, honours --limit and takes no k', async () => {
    const args = ['cluster', '--data', fixture, '--seed', '3', '--limit', '150'];
    const first = JSON.parse((await run(args)).stdout.at(-1)!);
    const again = JSON.parse((await run(args)).stdout.at(-1)!);
    expect(first.n).to.equal(150);
    expect({ ...again, seconds: 0 }).to.deep.equal({ ...first, seconds: 0 });
    expect((await failure(['cluster', '--data', fixture, '--k', '5'])).message).to.match(/no --k/);
  });
});
