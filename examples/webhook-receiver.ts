/**
 * A webhook receiver that checks every request's Trendmill-Signature before trusting it.
 *
 *   WEBHOOK_SECRET=whsec_... PORT=8787 node --conditions=source --import tsx examples/webhook-receiver.ts
 *
 * then register it: POST /api/v1/subscriptions {"url": "https://your-host/hooks/trendmill",
 * "types": ["cluster.created"]} and put the returned secret in WEBHOOK_SECRET.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { verifyWebhookSignature } from '@trendmill/gateway/subscriptions';
import { parseEvent, type TrendmillEvent } from '@trendmill/shared-contracts';

export interface WebhookReceiverOptions {
  secret: string;
  onEvent: (event: TrendmillEvent) => void | Promise<void>;
  /** Replay window for the signed timestamp (default 300 s). */
  toleranceSeconds?: number;
  now?: () => number;
  /** Largest body accepted (default 1 MiB). */
  maxBytes?: number;
}

/**
 * Answers 2xx only for a correctly signed, valid event; 401 for a bad signature, 400 for a body
 * that is not a Trendmill event. Deliveries are at-least-once, so repeats (same Trendmill-Event-Id)
 * are acknowledged without handling them twice.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): Server {
  const seen = new Set<string>();
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return createServer((req, res) => {
    const reply = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    };
    if (req.method !== 'POST') return reply(405, 'POST only');
    readBody(req, maxBytes).then(
      async (body) => {
        const check = verifyWebhookSignature(
          options.secret,
          req.headers['trendmill-signature'] as string,
          body,
          {
            ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
            ...(options.now ? { now: options.now() } : {}),
          },
        );
        if (!check.ok) return reply(401, `signature rejected: ${check.reason}`);
        const parsed = parseEvent(body);
        if (!parsed.ok) return reply(400, `not a Trendmill event: ${parsed.reason}`);
        if (seen.has(parsed.event.id)) return reply(200, 'already handled');
        try {
          await options.onEvent(parsed.event);
        } catch (error) {
          // 5xx: the gateway retries with backoff.
          return reply(500, `could not handle the event: ${String(error)}`);
        }
        seen.add(parsed.event.id);
        if (seen.size > 10_000) seen.delete(seen.values().next().value!);
        return reply(204, '');
      },
      (error: Error) => reply(413, error.message),
    );
  });
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error(`body larger than ${maxBytes} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('WEBHOOK_SECRET is required (the secret shown when the subscription was created)');
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 8787);
  createWebhookReceiver({
    secret,
    onEvent: (event) => console.log(`${event.type} ${event.subject} ${JSON.stringify(event.data)}`),
  }).listen(port, () => console.log(`webhook receiver on :${port}`));
}
