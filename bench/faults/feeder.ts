import type { CorpusItem } from './corpus.js';
import { call, type Gateway } from './gateway-client.js';

interface BatchAnswer {
  results: Array<{
    index: number;
    status: 'accepted' | 'duplicate' | 'rejected';
    itemId?: string;
    code?: string;
  }>;
}

export interface FeedResult {
  /** Item ids the collector took (accepted, or `duplicate` on a retry of a batch it had taken). */
  accepted: Set<string>;
  rejected: number;
  /** Batches re-sent because the gateway or collector did not answer 2xx. */
  retries: number;
}

/**
 * Pushes the corpus through `POST /ingest/batch` at a steady rate; a batch that fails (gateway
 * or collector down, database restarting) is re-sent until it is answered, so no item is skipped.
 * A re-sent batch the collector had already stored comes back as `duplicate` with the same ids.
 */
export async function feed(
  gw: Gateway,
  items: CorpusItem[],
  options: { itemsPerSecond: number; batchSize: number; onProgress: (sent: number) => void },
): Promise<FeedResult> {
  const result: FeedResult = { accepted: new Set(), rejected: 0, retries: 0 };
  const start = performance.now();
  for (let i = 0; i < items.length; i += options.batchSize) {
    const batch = items.slice(i, i + options.batchSize);
    const due = start + (i / options.itemsPerSecond) * 1000;
    if (due > performance.now()) await sleep(due - performance.now());
    const answer = await sendUntilAnswered(gw, batch, result);
    for (const r of answer.results) {
      if ((r.status === 'accepted' || r.status === 'duplicate') && r.itemId) result.accepted.add(r.itemId);
      else result.rejected++;
    }
    options.onProgress(i + batch.length);
  }
  return result;
}

async function sendUntilAnswered(gw: Gateway, batch: CorpusItem[], result: FeedResult): Promise<BatchAnswer> {
  const deadline = Date.now() + 10 * 60_000;
  for (let attempt = 0; ; attempt++) {
    const res = await call<BatchAnswer>(gw, '/ingest/batch', {
      method: 'POST',
      body: JSON.stringify({ source: 'faults', items: batch }),
    });
    if (res.status >= 200 && res.status < 300 && res.body?.results) return res.body;
    if (res.status >= 400 && res.status < 500 && res.status !== 429)
      throw new Error(`ingest refused the batch: ${res.status} ${JSON.stringify(res.body)}`);
    if (Date.now() > deadline)
      throw new Error(`ingest unavailable for 10 minutes (last status ${res.status})`);
    result.retries++;
    await sleep(Math.min(2_000, 200 * 2 ** attempt));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
