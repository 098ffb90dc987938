import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const DIM = 64;

/**
 * A feature-extraction endpoint (the shape text-embeddings-inference answers: one vector per
 * input) for the embedder's hf-inference provider, so the bench can make the provider fail on
 * demand. Vectors are hashed bags of words: cheap, deterministic, similar texts stay close.
 */
export interface EmbeddingServer {
  url: string;
  /** While true every request gets 503 with Retry-After, like a provider that is down. */
  failing: boolean;
  requests: number;
  failed: number;
  close(): Promise<void>;
}

export async function startEmbeddingServer(): Promise<EmbeddingServer> {
  const state = { failing: false, requests: 0, failed: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (state.failing) {
        state.failed++;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
        res.end(JSON.stringify({ error: 'model is overloaded' }));
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { inputs?: unknown };
        const inputs = Array.isArray(body.inputs) ? body.inputs : [body.inputs];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(inputs.map((t) => embed(String(t)))));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'expected {"inputs": [...]}' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    get requests() {
      return state.requests;
    },
    get failed() {
      return state.failed;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function embed(text: string): number[] {
  // A constant component keeps an empty text from being the all-zero vector providers must refuse.
  const v = new Array<number>(DIM).fill(0);
  v[0] = 0.1;
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const h = createHash('sha1').update(word).digest();
    v[1 + (h[0]! % (DIM - 1))]! += h[1]! & 1 ? 1 : -1;
  }
  return v;
}
