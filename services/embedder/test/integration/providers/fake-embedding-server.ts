import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as the client sent them. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The client hung up before the answer was written (e.g. it timed out and aborted). */
  aborted: boolean;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON body (default: a TEI-style error object for non-2xx). */
  body?: unknown;
}

/**
 * A local stand-in for a feature-extraction server (text-embeddings-inference, or Hugging Face's
 * router and hub as `@huggingface/inference` addresses them). It records every request and
 * answers with deterministic, deliberately non-normalised vectors the tests can recompute.
 */
export class FakeEmbeddingServer {
  readonly requests: RecordedRequest[] = [];
  /** Length of the vectors it answers with. */
  dim = 8;
  /** Answer with token rows per text (`number[][][]`) instead of one pooled vector per text. */
  tokenLevel = false;
  /** Wait this long before answering a feature-extraction request. */
  delayMs = 0;
  /** Replies for the next feature-extraction requests, used up in order before normal answers. */
  readonly script: Reply[] = [];
  /** While set, every feature-extraction request gets this reply. */
  failure: Reply | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeEmbeddingServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeEmbeddingServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void fake.handle(req.method ?? '', req.url ?? '', req.headers, chunks, res));
    });
    return fake;
  }

  /** Feature-extraction requests only (not hub look-ups). */
  get embedRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  /** The vector it answers for one text (or one token, in token-level mode). */
  static vectorOf(text: string, dim: number): number[] {
    const digest = createHash('sha256').update(text).digest();
    return Array.from({ length: dim }, (_, i) => (digest[i % digest.length]! - 127.5) / 10);
  }

  /** Token rows it answers for a text in token-level mode: one row per word. */
  static tokenRowsOf(text: string, dim: number): number[][] {
    return text.split(/\s+/).map((word) => FakeEmbeddingServer.vectorOf(word, dim));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    chunks: Buffer[],
    res: ServerResponse,
  ): Promise<void> {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // recorded as the raw text
    }
    const record: RecordedRequest = { method, path, headers, body, aborted: false };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    if (method === 'GET' && path.startsWith('/api/models/')) return this.answerMapping(path, res);
    if (method !== 'POST') return send(res, { status: 404, body: { error: 'not found' } });

    const reply = this.script.shift() ?? this.failure;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    if (reply) return send(res, reply);

    const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
    const texts = typeof inputs === 'string' ? [inputs] : inputs;
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string'))
      return send(res, { status: 422, body: { error: 'inputs must be a string or a list of strings' } });
    const vectors = texts.map((t: string) =>
      this.tokenLevel
        ? FakeEmbeddingServer.tokenRowsOf(t, this.dim)
        : FakeEmbeddingServer.vectorOf(t, this.dim),
    );
    send(res, { status: 200, body: vectors });
  }

  /** What the hub answers for `GET /api/models/<id>?expand[]=inferenceProviderMapping`. */
  private answerMapping(path: string, res: ServerResponse): void {
    const modelId = decodeURIComponent(path.slice('/api/models/'.length).split('?')[0]!);
    send(res, {
      status: 200,
      body: {
        _id: 'fake',
        id: modelId,
        inferenceProviderMapping: [
          {
            provider: 'hf-inference',
            hfModelId: modelId,
            providerId: modelId,
            status: 'live',
            task: 'feature-extraction',
          },
        ],
      },
    });
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const body =
    reply.body ??
    (reply.status >= 400 ? { error: `fake server says ${reply.status}`, error_type: 'fake' } : null);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(body));
}
