import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

const usage = `Usage:
  trendmill reembed --model ID [--url EMBEDDER_URL] [--api-key KEY] [--json] [--no-wait]

Re-embeds every stored item with the model ID (for example a new version of the local model, or
hf:sentence-transformers/all-MiniLM-L6-v2 when the embedder has a Hugging Face token). The new
vectors go out as item.embedded events under the new model id; vectors of the old model stay in
their own space and are never mixed with the new ones. Running it again resumes: items that
already have a vector of that model are skipped.

  --url       the embedder's API (default: TRENDMILL_EMBEDDER_URL, else
              http://localhost:8080/embedder, the embedded default of \`make run\`)
  --api-key   the embedder's API key (default: TRENDMILL_API_KEY)
  --json      print the finished job as JSON on the last line
  --no-wait   start the job and print it, without following its progress`;

interface Job {
  id: string;
  model: string;
  dim: number | null;
  state: 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
  total: number;
  done: number;
  error: string | null;
}

export const reembed: Command = {
  summary: 're-embed stored items with another embedding model',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        url: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-wait': { type: 'boolean', default: false },
        'poll-ms': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.model) throw new UsageError('--model ID is required');
    const base = (
      values.url ??
      process.env.TRENDMILL_EMBEDDER_URL ??
      'http://localhost:8080/embedder'
    ).replace(/\/+$/, '');
    let parsedBase: URL;
    try {
      parsedBase = new URL(base);
    } catch {
      throw new UsageError(`--url: not a URL: ${base}`);
    }
    if (parsedBase.protocol !== 'http:' && parsedBase.protocol !== 'https:')
      throw new UsageError('--url must be an http(s) URL');
    const pollMs = values['poll-ms'] === undefined ? 500 : Number(values['poll-ms']);
    if (!Number.isInteger(pollMs) || pollMs < 10) throw new UsageError('--poll-ms must be an integer ≥ 10');
    const apiKey = values['api-key'] ?? process.env.TRENDMILL_API_KEY;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    };

    const request = async (method: string, path: string, body?: unknown) => {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        throw new Error(
          `cannot reach the embedder at ${base} (${(err as Error & { cause?: Error }).cause?.message ?? String(err)}); ` +
            'is Trendmill running (`make run`), or does --url / TRENDMILL_EMBEDDER_URL point at the embedder?',
          { cause: err },
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.status === 401)
        throw new Error('the embedder needs an API key: pass --api-key or set TRENDMILL_API_KEY');
      if (!res.ok) {
        const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new Error(error ? `${error.code}: ${error.message}` : `HTTP ${res.status} from ${base}${path}`);
      }
      if (json === undefined) throw new Error(`${base}${path} did not answer with JSON`);
      return json as Job;
    };

    let job = await request('POST', '/reembed', { model: values.model });
    if (values['no-wait']) {
      console.log(
        values.json
          ? JSON.stringify(job)
          : `Started reembed job ${job.id} for ${job.model} (${job.total} items).`,
      );
      return 0;
    }
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'reembed {model} [{bar}] {value}/{total} items {state}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(Math.max(job.total, 1), job.done, { model: job.model, state: job.state });
    let lastLine = 0;
    while (job.state === 'running' || job.state === 'waiting') {
      await sleep(pollMs);
      job = await request('GET', `/reembed/${encodeURIComponent(job.id)}`);
      if (bar) {
        bar.setTotal(Math.max(job.total, job.done, 1));
        bar.update(job.done, {
          model: job.model,
          state: job.state === 'waiting' ? '(provider unavailable, waiting)' : '',
        });
      } else if (Date.now() - lastLine > 5_000) {
        lastLine = Date.now();
        process.stderr.write(`reembed ${job.model}: ${job.done}/${job.total} items (${job.state})\n`);
      }
    }
    bar?.stop();
    if (values.json) console.log(JSON.stringify(job));
    else if (job.state === 'completed')
      console.log(`Re-embedded ${job.done} item(s) with ${job.model} (dim ${job.dim ?? '?'}).`);
    else
      console.log(
        `Reembed ${job.state} after ${job.done}/${job.total} item(s): ${job.error ?? 'no reason given'}`,
      );
    return job.state === 'completed' ? 0 : 1;
  },
};
