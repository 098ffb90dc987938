import { inspect } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import {
  HfInferenceConfigError,
  createHfInferenceProvider,
  type HfInferenceOptions,
  type HfInferenceProvider,
} from '../../../src/providers/hf-inference/index.js';
import {
  InvalidEmbeddingInputError,
  ProviderUnavailableError,
  normalizeInPlace,
} from '../../../src/providers/port.js';
import { CallTimeoutError, type GuardEvent } from '../../../src/providers/resilience/index.js';
import { FakeEmbeddingServer } from './fake-embedding-server.js';

const TOKEN = 'hf_fakeTokenForTests0123456789';

function expected(text: string, dim = 8): Float32Array {
  return normalizeInPlace(Float32Array.from(FakeEmbeddingServer.vectorOf(text, dim)));
}

function expectVector(actual: Float32Array | undefined, want: Float32Array): void {
  expect(actual, 'vector').to.be.instanceOf(Float32Array);
  expect(actual!.length).to.equal(want.length);
  want.forEach((w, i) => expect(actual![i]).to.be.closeTo(w, 1e-6));
}

async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('hf-inference provider against a local feature-extraction server', function () {
  this.timeout(20_000);
  let server: FakeEmbeddingServer;
  let provider: HfInferenceProvider | undefined;
  let events: GuardEvent[];

  beforeEach(async () => {
    server = await FakeEmbeddingServer.start();
    events = [];
  });
  afterEach(async () => {
    await provider?.close();
    provider = undefined;
    await server.close();
  });

  /** A provider for the fake server as a self-hosted (TEI-style) endpoint, with quick resilience settings. */
  function create(over: Partial<HfInferenceOptions> = {}): HfInferenceProvider {
    provider = createHfInferenceProvider({
      endpointUrl: `${server.url}/embed`,
      token: TOKEN,
      timeoutMs: 2_000,
      retries: 2,
      backoffMs: 5,
      breaker: { volumeThreshold: 100, resetTimeoutMs: 300 },
      onEvent: (e) => events.push(e),
      ...over,
    });
    return provider;
  }

  it('sends the request the library builds (POST, Bearer token, JSON inputs) and returns unit vectors in order', async () => {
    const p = create();
    const texts = ['first text', 'second text', 'third text'];
    const vectors = await p.embed(texts);

    expect(server.requests).to.have.length(1);
    const [req] = server.requests;
    expect(req).to.deep.include({ method: 'POST', path: '/embed' });
    expect(req!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(req!.headers['content-type']).to.equal('application/json');
    expect(req!.body).to.deep.equal({ inputs: texts, truncate: true });

    expect(vectors).to.have.length(3);
    texts.forEach((t, i) => expectVector(vectors[i], expected(t)));
    for (const v of vectors) expect(Math.hypot(...v)).to.be.closeTo(1, 1e-6);
    expect(p).to.include({
      kind: 'hf-inference',
      model: 'tei:sentence-transformers/all-MiniLM-L6-v2',
      dim: 8,
    });
  });

  it('learns the dimension with one probe request, then keeps it', async () => {
    server.dim = 12;
    const p = create();
    expect(p.dim, 'unknown before the first answer').to.equal(0);
    expect(await p.ready()).to.equal(12);
    expect(p.dim).to.equal(12);
    expect(server.requests.map((r) => r.body)).to.deep.equal([
      { inputs: ['dimension probe'], truncate: true },
    ]);
    expect(await p.ready()).to.equal(12);
    expect(server.requests, 'no second probe').to.have.length(1);
  });

  it("addresses Hugging Face's hub and router exactly as the library does when no endpointUrl is set", async () => {
    const model = `trendmill-test/minilm-${Date.now()}`; // the library caches hub look-ups per model id
    const hosts: Record<string, string> = {
      'https://huggingface.co': server.url,
      'https://router.huggingface.co': server.url,
    };
    const redirect: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const origin = Object.keys(hosts).find((h) => url.startsWith(`${h}/`));
      if (!origin) throw new Error(`unexpected host in ${url}`);
      return fetch(hosts[origin] + url.slice(origin.length), init);
    };
    const p = create({ endpointUrl: undefined, model, fetch: redirect });
    const vectors = await p.embed(['hello world']);

    expect(p.model).to.equal(`hf:${model}`);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      `GET /api/models/${model}?expand[]=inferenceProviderMapping`,
      `POST /hf-inference/models/${model}/pipeline/feature-extraction`,
    ]);
    expect(server.requests[0]!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(server.requests[1]!.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(server.requests[1]!.body).to.deep.equal({ inputs: ['hello world'], truncate: true });
    expectVector(vectors[0], expected('hello world'));
  });

  it('mean-pools token-level answers', async () => {
    server.tokenLevel = true;
    const p = create();
    const texts = ['alpha beta gamma', 'delta'];
    const vectors = await p.embed(texts);
    texts.forEach((t, i) => {
      const rows = FakeEmbeddingServer.tokenRowsOf(t, 8);
      const mean = Float32Array.from(
        { length: 8 },
        (_, k) => rows.reduce((s, r) => s + r[k]!, 0) / rows.length,
      );
      expectVector(vectors[i], normalizeInPlace(mean));
    });
  });

  it('splits batches larger than maxBatch and keeps input order', async () => {
    const p = create({ maxBatch: 4 });
    const texts = Array.from({ length: 10 }, (_, i) => `text number ${i}`);
    const vectors = await p.embed(texts);
    expect(server.requests.map((r) => (r.body as { inputs: string[] }).inputs)).to.deep.equal([
      texts.slice(0, 4),
      texts.slice(4, 8),
      texts.slice(8),
    ]);
    texts.forEach((t, i) => expectVector(vectors[i], expected(t)));
    expect(await p.embed([])).to.deep.equal([]);
    expect(server.requests, 'an empty batch sends nothing').to.have.length(3);
  });

  it('reports 4xx as InvalidEmbeddingInputError without retrying, and the breaker stays closed', async () => {
    const p = create({ breaker: { volumeThreshold: 2, errorThresholdPercentage: 10, resetTimeoutMs: 300 } });
    server.failure = {
      status: 422,
      body: { error: 'Input validation error: inputs cannot be empty', error_type: 'Validation' },
    };
    for (let i = 0; i < 5; i++) {
      const err = await rejectionOf(p.embed(['']));
      expect(err).to.be.instanceOf(InvalidEmbeddingInputError);
      expect(err.message).to.match(/422.*inputs cannot be empty/);
    }
    expect(server.requests).to.have.length(5);
    expect(p.health()).to.deep.include({ state: 'closed' });
    expect(p.health().counters).to.include({ invalid: 5, failures: 0, opened: 0 });
    server.failure = undefined;
    expectVector((await p.embed(['fine']))[0], expected('fine'));
  });

  it('treats a refused token (401) as unavailable, not as bad input, and does not retry it', async () => {
    const p = create();
    server.failure = { status: 401, body: { error: 'Invalid credentials in Authorization header' } };
    const err = await rejectionOf(p.embed(['x']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(server.requests).to.have.length(1);
  });

  it('retries 5xx, succeeding when the server recovers in time', async () => {
    const p = create();
    server.script.push({ status: 503 }, { status: 500 });
    const [v] = await p.embed(['retry me']);
    expectVector(v, expected('retry me'));
    expect(server.requests).to.have.length(3);
    expect(events.filter((e) => e.type === 'retry')).to.have.length(2);
  });

  it('gives up on persistent 5xx after the retries with ProviderUnavailableError', async () => {
    const p = create();
    server.failure = { status: 502 };
    const err = await rejectionOf(p.embed(['x']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(err.message).to.match(/HTTP 502.*3 attempts/);
    expect(server.requests).to.have.length(3);
  });

  it('aborts a request that exceeds the time limit and reports ProviderUnavailableError', async () => {
    const p = create({ timeoutMs: 100, retries: 1 });
    server.delayMs = 1_000;
    const err = await rejectionOf(p.embed(['slow']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(err.cause).to.be.instanceOf(CallTimeoutError);
    await waitFor(() => server.requests.length === 2 && server.requests.every((r) => r.aborted), {
      what: 'both attempts aborted on the server side',
    });
    expect(p.health().counters).to.include({ timeouts: 2 });
  });

  it('reports an unreachable server as unavailable after retrying', async () => {
    const dead = await FakeEmbeddingServer.start();
    const deadUrl = dead.url;
    await dead.close();
    const p = create({ endpointUrl: `${deadUrl}/embed` });
    const err = await rejectionOf(p.embed(['x']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(p.health().counters).to.include({ attempts: 3, failures: 3 });
  });

  it('opens the breaker after repeated failures, fails fast, half-opens after the reset timeout, and recovers', async () => {
    const p = create({
      retries: 0,
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 300 },
    });
    server.failure = { status: 500 };
    for (let i = 0; i < 3; i++)
      expect(await rejectionOf(p.embed(['x']))).to.be.instanceOf(ProviderUnavailableError);
    expect(p.health().state).to.equal('open');
    expect(server.requests).to.have.length(3);

    const fast = await rejectionOf(p.embed(['x']));
    expect(fast).to.be.instanceOf(ProviderUnavailableError);
    expect(fast.message).to.match(/circuit breaker open/);
    expect((fast as ProviderUnavailableError).retryAfterMs)
      .to.be.greaterThan(0)
      .and.at.most(300);
    expect(server.requests, 'fail fast: nothing reached the server').to.have.length(3);

    server.failure = undefined;
    await waitFor(() => p.health().state === 'halfOpen', { timeoutMs: 2_000, what: 'half-open' });
    expectVector((await p.embed(['back']))[0], expected('back'));
    expect(p.health().state).to.equal('closed');
    expect(server.requests).to.have.length(4);
    expect(events.flatMap((e) => (e.type === 'state' ? [e.state] : []))).to.deep.equal([
      'open',
      'halfOpen',
      'closed',
    ]);
  });

  it('honours Retry-After on 429: waits it out when short, passes it on when long', async () => {
    const p = create({ maxRetryWaitMs: 5_000 });
    server.script.push({ status: 429, headers: { 'retry-after': '1' }, body: { error: 'rate limited' } });
    const [v] = await p.embed(['patient']);
    expectVector(v, expected('patient'));
    expect(server.requests).to.have.length(2);
    expect(events.find((e) => e.type === 'retry')).to.deep.include({ delayMs: 1_000 });

    server.script.push({ status: 429, headers: { 'retry-after': '120' }, body: { error: 'rate limited' } });
    const err = await rejectionOf(p.embed(['impatient']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect((err as ProviderUnavailableError).retryAfterMs).to.equal(120_000);
    expect(server.requests, 'no retry inside the call').to.have.length(3);
  });

  it('refuses vectors of a new length once the dimension is known, never mixing them', async () => {
    const p = create();
    await p.embed(['first']);
    expect(p.dim).to.equal(8);
    server.dim = 16;
    const err = await rejectionOf(p.embed(['second']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(err.message).to.match(/16-dimensional vectors, expected 8/);
    expect(p.dim).to.equal(8);
    expect(server.requests, 'not retried').to.have.length(2);
  });

  it('refuses answers that do not match a configured dimension', async () => {
    const p = create({ dim: 384 });
    expect(p.dim).to.equal(384);
    const err = await rejectionOf(p.embed(['x']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
    expect(err.message).to.match(/8-dimensional vectors, expected 384/);
  });

  it('reports a malformed answer as unavailable', async () => {
    const p = create({ retries: 0 });
    server.script.push({ status: 200, body: { embeddings: 'nope' } });
    const err = await rejectionOf(p.embed(['x']));
    expect(err).to.be.instanceOf(ProviderUnavailableError);
  });

  it('never exposes the token in the provider, its health, or its errors', async () => {
    const p = create({ retries: 0 });
    server.failure = { status: 400, body: { error: 'bad' } };
    const invalid = await rejectionOf(p.embed(['x']));
    server.failure = { status: 503 };
    const unavailable = await rejectionOf(p.embed(['x']));
    const seen = [
      inspect(p, { depth: 20, showHidden: true }),
      JSON.stringify(p.health()),
      inspect(invalid, { depth: 20 }),
      inspect(unavailable, { depth: 20 }),
      JSON.stringify(events),
    ].join('\n');
    expect(server.requests[0]!.headers.authorization, 'the token was sent').to.equal(`Bearer ${TOKEN}`);
    expect(seen).not.to.include(TOKEN);
  });

  it('rejects impossible options with a typed error', () => {
    const attempt = (o: HfInferenceOptions) => () => createHfInferenceProvider(o);
    expect(attempt({ endpointUrl: 'ftp://example.com', token: TOKEN })).to.throw(
      HfInferenceConfigError,
      /endpointUrl/,
    );
    expect(attempt({ model: 'not a model id', token: TOKEN })).to.throw(HfInferenceConfigError, /model/);
    expect(attempt({ maxBatch: 0, token: TOKEN })).to.throw(HfInferenceConfigError, /maxBatch/);
    const saved = process.env.HF_TOKEN;
    delete process.env.HF_TOKEN;
    try {
      const err = (() => {
        try {
          createHfInferenceProvider({});
        } catch (e) {
          return e as HfInferenceConfigError;
        }
        throw new Error('expected an error');
      })();
      expect(err).to.be.instanceOf(HfInferenceConfigError);
      expect(err.code).to.equal('token_missing');
      expect(err.message).to.match(/HF_TOKEN/);
    } finally {
      if (saved !== undefined) process.env.HF_TOKEN = saved;
    }
  });
});

const hfToken = process.env.HF_TOKEN;
(hfToken ? describe : describe.skip)(
  `hf-inference provider against Hugging Face${hfToken ? '' : ' (skipped: HF_TOKEN not set)'}`,
  function () {
    this.timeout(60_000);
    it('embeds with the default model: 384 unit-length values, related texts closer than unrelated ones', async () => {
      const p = createHfInferenceProvider({ token: hfToken!, timeoutMs: 30_000 });
      try {
        const [a, b, c] = await p.embed([
          'The central bank raised interest rates again.',
          'Interest rates were increased by the central bank.',
          'A recipe for sourdough bread with a crispy crust.',
        ]);
        expect(p.dim).to.equal(384);
        for (const v of [a!, b!, c!]) expect(Math.hypot(...v)).to.be.closeTo(1, 1e-4);
        const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
        expect(dot(a!, b!)).to.be.greaterThan(dot(a!, c!));
      } finally {
        await p.close();
      }
    });
  },
);
