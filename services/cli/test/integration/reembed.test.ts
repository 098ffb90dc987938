import { expect } from 'chai';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { FakeProvider } from '../../../embedder/test/integration/service/fake-provider.js';
import { EmbedderHarness, normalized } from '../../../embedder/test/integration/service/harness.js';
import { reembed } from '../../src/commands/reembed.js';
import { UsageError } from '../../src/usage-error.js';

/** Runs the command with stdout captured. */
async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    return { code: await reembed.run(argv), lines };
  } finally {
    console.log = log;
  }
}

describe('trendmill reembed against a running embedder', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let h: EmbedderHarness;
  let api: string;

  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'reembedcli' });
    h = new EmbedderHarness(db);
    await h.recordOutputs();
    h.otherModels.set('fake-next', new FakeProvider('fake-next', 6, 3));
    const service = await h.start(new FakeProvider('fake-live', 8), { reembedPageSize: 2 });
    api = await h.serve(service, { apiKeys: ['k-123'] });
    await h.publish(Array.from({ length: 7 }, () => normalized()));
    await waitFor(() => h.embedded.length === 7, { what: 'live embeddings' });
  });
  afterEach(async () => {
    await h.stop();
    await db.close();
  });

  it('follows the job to the end and prints it as JSON', async () => {
    const { code, lines } = await run([
      '--model',
      'fake-next',
      '--url',
      api,
      '--api-key',
      'k-123',
      '--json',
      '--poll-ms',
      '20',
    ]);
    expect(code).to.equal(0);
    const job = JSON.parse(lines.at(-1)!);
    expect(job).to.include({ model: 'fake-next', state: 'completed', done: 7, total: 7, dim: 6 });
    await waitFor(() => h.embedded.filter((e) => e.data.model === 'fake-next').length === 7, {
      what: 'events of the new model',
    });
  });

  it('explains an unknown model, a missing key and an unreachable embedder', async () => {
    const unknown = await run(['--model', 'nope', '--url', api, '--api-key', 'k-123']).catch((e: Error) => e);
    expect(String(unknown)).to.match(/unknown_model: unknown embedding model "nope".*fake-live/);
    const noKey = await run(['--model', 'fake-next', '--url', api]).catch((e: Error) => e);
    expect(String(noKey)).to.match(/needs an API key/);
    const nowhere = await run(['--model', 'fake-next', '--url', 'http://127.0.0.1:1']).catch((e: Error) => e);
    expect(String(nowhere)).to.match(/cannot reach the embedder at http:\/\/127\.0\.0\.1:1/);
    const usage = await run(['--url', api]).catch((e: Error) => e);
    expect(usage).to.be.instanceOf(UsageError);
  });
});
