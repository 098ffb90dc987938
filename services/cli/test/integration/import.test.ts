import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CollectorService, createCollectorApp } from '@trendmill/collector';
import { MemoryBroker, createLogger, type ReceivedMessage } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import { createImportCommand } from '../../src/commands/import.js';
import { ImportError } from '../../src/import/import-error.js';
import { UsageError } from '../../src/usage-error.js';

const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

interface Collected {
  itemId: string;
  sourceId: string;
  title: string;
}

/** A real collector (PGlite, in-memory bus) with its HTTP API on a loopback port. */
class Collector {
  readonly broker = new MemoryBroker(`import-test-${randomUUID()}`);
  readonly collected: Collected[] = [];
  service!: CollectorService;
  private servers: Server[] = [];

  constructor(private readonly db: TestDatabase) {}

  async start(): Promise<void> {
    await this.broker.subscribe(
      { group: 'recorder', types: [EVENT_TYPES.itemCollected] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        this.collected.push(parsed.event.data as unknown as Collected);
      },
    );
    this.service = new CollectorService(
      {
        db: this.db,
        publish: (messages) => this.broker.publish([...messages]),
        logger: createLogger('import-test', 'error'),
      },
      { scheduler: false, relayPollIntervalMs: 20 },
    );
    await this.service.start();
  }

  /** Serves the API; resolves to the base URL a user would pass (without /api/v1). */
  async serve(options: { apiKeys?: string[]; maxBodyBytes?: number } = {}): Promise<string> {
    const app = createCollectorApp(this.service, {
      logger: createLogger('import-test', 'error'),
      ...options,
    });
    return this.listen(createServer(app));
  }

  async listen(server: Server, port = 0): Promise<string> {
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    await this.service?.stop();
    await this.broker.close();
  }
}

type Decision =
  | 'forward'
  | 'reset'
  /** Never answer (until the client gives up): a collector stuck mid-batch. */
  | 'hold'
  | { status: number; headers?: Record<string, string>; body?: string };

/**
 * A proxy before the collector that lets a test decide, per batch request, to forward it, answer
 * it with an error, or drop the connection: what a flaky network or a restarting collector does.
 */
class FlakyProxy {
  batches = 0;
  readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(
    private readonly target: string,
    private readonly decide: (batch: number) => Decision,
  ) {}

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const isBatch = req.method === 'POST' && req.url?.endsWith('/ingest/batch');
    const decision = isBatch ? this.decide(++this.batches) : 'forward';
    if (decision === 'hold') return;
    if (decision === 'reset') {
      req.socket.destroy();
      return;
    }
    if (decision !== 'forward') {
      res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers });
      res.end(decision.body ?? '{"error":{"code":"unavailable","message":"try later"}}');
      return;
    }
    const answer = await fetch(`${this.target}${req.url}`, {
      method: req.method!,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(
          (e): e is [string, string] =>
            typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length',
        ),
      ),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  }
}

/** A writable that keeps what was written, optionally posing as a terminal. */
function capture(isTTY = false) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  Object.assign(stream, { isTTY, columns: 160 });
  return { stream, text: () => chunks.join('') };
}

interface Run {
  code: number | undefined;
  error: unknown;
  stdout: string;
  stderr: string;
  /** The `--json` summary: the last stdout line. */
  // Summaries are checked field by field; a loose type keeps that readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** Runs `trendmill import` in this process with its output captured. */
async function runImport(
  argv: string[],
  options: { env?: Record<string, string>; tty?: boolean; signal?: AbortSignal } = {},
): Promise<Run> {
  const out = capture();
  const err = capture(options.tty);
  const command = createImportCommand({
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    progressEveryMs: 0,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let code: number | undefined;
  let error: unknown;
  try {
    code = await command.run(argv);
  } catch (e) {
    error = e;
  }
  const stdout = out.text();
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  return {
    code,
    error,
    stdout,
    stderr: err.text(),
    json: last.startsWith('{') ? JSON.parse(last) : undefined,
  };
}

const post = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    externalId: `post-${i}`,
    title: `Post number ${i}`,
    content: `The body of post ${i}, long enough to look like a post. ${'Lorem ipsum '.repeat(20)}`,
    url: `https://example.com/posts/${i}`,
    publishedAt: '2026-05-30T10:00:00Z',
    ...extra,
  });

describe('trendmill import against a running collector', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let collector: Collector;
  let base: string;
  let dir: string;

  /** Writes lines to a fresh file under the test's directory and returns its path. */
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const posts = (from: number, count: number) => Array.from({ length: count }, (_, i) => post(from + i));

  beforeEach(async () => {
    db = await createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'importcli' });
    collector = new Collector(db);
    await collector.start();
    base = await collector.serve();
    dir = mkdtempSync(join(tmpdir(), 'trendmill-import-'));
  });
  afterEach(async () => {
    await collector.stop();
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a good file: counts, source label from the file name, and the items really collected', async () => {
    const path = file('good posts.jsonl', [...posts(1, 4), '', '   ', ...posts(5, 4)]);
    const run = await runImport([path, '--url', base, '--json']);
    expect(run.error).to.equal(undefined);
    expect(run.code).to.equal(0);
    expect(run.json).to.include({
      file: path,
      source: 'good-posts.jsonl',
      lines: 10,
      accepted: 8,
      duplicates: 0,
      rejected: 0,
    });
    expect(run.json.reasons).to.deep.equal({});
    expect(run.json.seconds).to.be.a('number');
    await waitFor(() => collector.collected.length === 8, { what: 'eight item.collected events' });
    expect(collector.collected.map((c) => c.title).sort()).to.deep.equal(
      Array.from({ length: 8 }, (_, i) => `Post number ${i + 1}`).sort(),
    );
    expect(new Set(collector.collected.map((c) => c.sourceId))).to.deep.equal(new Set([run.json.sourceId]));
    const source = (await (await fetch(`${base}/api/v1/sources/${run.json.sourceId}`)).json()) as Record<
      string,
      unknown
    >;
    expect(source).to.include({ type: 'jsonl', label: 'good-posts.jsonl' });
    const health = (await (
      await fetch(`${base}/api/v1/sources/${run.json.sourceId}/health`)
    ).json()) as Record<string, unknown>;
    expect(health).to.include({ itemsLast24h: 8 });
  });

  it('reports bad JSON, invalid items and duplicates by reason with their line numbers, and exits 1', async () => {
    const path = file('mixed.jsonl', [
      post(1), // 1
      '{"title": "broken", ', // 2: not JSON
      '', // 3: blank
      '["an", "array"]', // 4: JSON, not an object
      JSON.stringify({ externalId: 'no-text', url: 'https://example.com/x' }), // 5: no title/content/summary
      JSON.stringify({ title: 'Bad link', url: 'not a url' }), // 6: bad url
      post(2), // 7
      post(1, { title: 'Same id again' }), // 8: duplicate of line 1 (same externalId)
      JSON.stringify({ title: 'Bad date', publishedAt: 'yesterday' }), // 9
    ]);
    const run = await runImport([path, '--url', base, '--json']);
    expect(run.code).to.equal(1);
    expect(run.json).to.include({ lines: 9, accepted: 2, duplicates: 1, rejected: 5 });
    expect(run.json.reasons.invalid_json)
      .to.include({ count: 1 })
      .and.to.deep.include({ lines: [2] });
    expect(run.json.reasons.invalid_json.message).to.be.a('string').and.not.equal('');
    expect(run.json.reasons.invalid_item).to.deep.include({ count: 4, lines: [4, 5, 6, 9] });
    expect(run.json.reasons.invalid_item.message).to.equal('expected a JSON object, got an array');
    expect(Object.keys(run.json.reasons).sort()).to.deep.equal(['invalid_item', 'invalid_json']);
    await waitFor(() => collector.collected.length === 2, { what: 'the two good items collected' });
  });

  it('prints a readable summary without --json', async () => {
    const path = file('text.jsonl', [post(1), 'nope', JSON.stringify({ title: 'x', url: 'ftp://x' })]);
    const run = await runImport([path, '--url', base]);
    expect(run.code).to.equal(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^Imported .*text\.jsonl into source "text\.jsonl" \(.+\) in \d+\.\d s$/);
    expect(lines.slice(1, 5)).to.deep.equal([
      '  lines read  3',
      '  accepted    1',
      '  duplicates  0',
      '  rejected    2',
    ]);
    expect(run.stdout).to.match(/invalid_json\s+1\s+line 2\n\s+e\.g\. /);
    expect(run.stdout).to.match(
      /invalid_item\s+1\s+line 3\n\s+e\.g\. url: expected an absolute http\(s\) URL/,
    );
  });

  it('gives duplicates, not new items, when the same file is imported again', async () => {
    const path = file('again.jsonl', posts(1, 6));
    const first = await runImport([path, '--url', base, '--json']);
    expect(first.json).to.include({ accepted: 6, duplicates: 0 });
    await waitFor(() => collector.collected.length === 6, { what: 'the first import collected' });
    const second = await runImport([path, '--url', base, '--json']);
    expect(second.code).to.equal(0);
    expect(second.json).to.include({ lines: 6, accepted: 0, duplicates: 6, rejected: 0 });
    expect(second.json.sourceId).to.equal(first.json.sourceId);
    await new Promise((r) => setTimeout(r, 200));
    expect(collector.collected).to.have.length(6);
  });

  it('sends a file larger than the batch size in several batches and maps every answer to its line', async () => {
    const proxy = new FlakyProxy(base, () => 'forward');
    const url = await collector.listen(proxy.server);
    const lines = [...posts(1, 10), 'not json', ...posts(11, 2), post(3)];
    const run = await runImport([file('batches.jsonl', lines), '--url', url, '--batch-size', '4', '--json']);
    expect(proxy.batches).to.equal(4); // 13 items in batches of 4
    expect(run.code).to.equal(1);
    expect(run.json).to.include({ lines: 14, accepted: 12, duplicates: 1, rejected: 1 });
    expect(run.json.reasons).to.deep.equal({
      invalid_json: { count: 1, lines: [11], message: run.json.reasons.invalid_json.message },
    });
    await waitFor(() => collector.collected.length === 12, { what: 'twelve items collected' });
  });

  it('resumes with --from-line, skipping the lines before it', async () => {
    const path = file('resume.jsonl', posts(1, 8));
    const run = await runImport([path, '--url', base, '--from-line', '6', '--json']);
    expect(run.json).to.include({ lines: 3, accepted: 3, fromLine: 6 });
    await waitFor(() => collector.collected.length === 3, { what: 'three items collected' });
    expect(collector.collected.map((c) => c.title).sort()).to.deep.equal([
      'Post number 6',
      'Post number 7',
      'Post number 8',
    ]);
  });

  it('retries 503, 429 with Retry-After and a dropped connection, losing no batch', async () => {
    const proxy = new FlakyProxy(base, (n) =>
      n === 2
        ? { status: 503 }
        : n === 3
          ? { status: 429, headers: { 'retry-after': '1' } }
          : n === 4
            ? 'reset'
            : 'forward',
    );
    const url = await collector.listen(proxy.server);
    const path = file('flaky.jsonl', posts(1, 9));
    const started = Date.now();
    const run = await runImport([path, '--url', url, '--batch-size', '3', '--retry-ms', '10', '--json']);
    expect(run.error).to.equal(undefined);
    expect(run.code).to.equal(0);
    expect(run.json).to.include({ lines: 9, accepted: 9, duplicates: 0, rejected: 0 });
    expect(proxy.batches).to.equal(6); // 3 batches + 3 failed attempts of the second
    expect(Date.now() - started).to.be.at.least(1000); // the Retry-After was waited out
    expect(run.stderr).to.match(/HTTP 503 \(unavailable: try later\) \(batch from line 4\); retry 1\/5/);
    expect(run.stderr).to.match(/HTTP 429 .*; retry 2\/5 in 1\.0 s/);
    expect(run.stderr).to.match(/retry 3\/5/);
    await waitFor(() => collector.collected.length === 9, { what: 'all nine items collected' });
  });

  it('rides out a collector that refuses connections for a moment mid-run', async () => {
    const proxy = new FlakyProxy(base, (n) => {
      if (n === 2) {
        // The collector "restarts": nothing listens on its port for a moment.
        const { port } = proxy.server.address() as AddressInfo;
        proxy.server.closeAllConnections();
        proxy.server.close(() => setTimeout(() => proxy.server.listen(port, '127.0.0.1'), 300));
        return 'reset';
      }
      return 'forward';
    });
    const url = await collector.listen(proxy.server);
    const run = await runImport([
      file('restart.jsonl', posts(1, 6)),
      '--url',
      url,
      '--batch-size',
      '2',
      '--retry-ms',
      '100',
      '--json',
    ]);
    expect(run.error).to.equal(undefined);
    expect(run.json).to.include({ accepted: 6 });
    expect(run.stderr).to.match(/other side closed|socket/i); // the dropped connection
    expect(run.stderr).to.match(/ECONNREFUSED/); // then nothing listening
    await waitFor(() => collector.collected.length === 6, { what: 'all six items collected' });
  });

  it('stops where the collector keeps failing, says which line to resume from, and the resume completes', async () => {
    const proxy = new FlakyProxy(base, (n) => (n <= 2 ? 'forward' : { status: 500 }));
    const url = await collector.listen(proxy.server);
    const path = file('stops.jsonl', [...posts(1, 6), 'bad line', ...posts(7, 4)]);
    const run = await runImport([
      path,
      '--url',
      url,
      '--batch-size',
      '3',
      '--retries',
      '2',
      '--retry-ms',
      '10',
      '--json',
    ]);
    expect(run.error).to.be.instanceOf(ImportError).and.have.property('code', 'unavailable');
    const message = (run.error as Error).message;
    expect(message).to.match(/still fails after 3 attempts: HTTP 500/);
    expect(message).to.match(/stopped at line 8 .*resume with --from-line 8/);
    expect(message).not.to.contain('\n');
    // Lines 1-7 are settled: six accepted, line 7 rejected here; lines 8-11 were not sent.
    expect(run.json).to.include({ lines: 7, accepted: 6, rejected: 1, stoppedAtLine: 8 });
    expect(run.json.error).to.include({ code: 'unavailable' });
    await waitFor(() => collector.collected.length === 6, { what: 'the first two batches collected' });

    const resumed = await runImport([path, '--url', base, '--from-line', '8', '--json']);
    expect(resumed.code).to.equal(0);
    expect(resumed.json).to.include({ lines: 4, accepted: 4, duplicates: 0 });
    await waitFor(() => collector.collected.length === 10, { what: 'all ten items collected once' });
    expect(new Set(collector.collected.map((c) => c.title)).size).to.equal(10);
  });

  it('splits batches the collector finds too large (413), and names a line that alone is too large', async () => {
    const small = await collector.serve({ maxBodyBytes: 2_500 });
    const run = await runImport([file('big.jsonl', posts(1, 12)), '--url', small, '--json']);
    expect(run.error).to.equal(undefined);
    expect(run.json).to.include({ accepted: 12, rejected: 0 });

    const huge = post(100, { content: 'x'.repeat(3_000) });
    const tooBig = await runImport([file('huge.jsonl', [post(50), huge]), '--url', small, '--json']);
    expect(tooBig.error).to.be.instanceOf(ImportError).and.have.property('code', 'payload_too_large');
    expect((tooBig.error as Error).message).to.match(
      /^line 2 \(\d+ bytes\) is larger than the collector accepts in one request \(HTTP 413\); stopped at line 2/,
    );
    expect(tooBig.json).to.include({ lines: 1, accepted: 1, stoppedAtLine: 2 });
  });

  it('asks for an API key on 401, without ever printing one, and imports with --api-key or TRENDMILL_API_KEY', async () => {
    const secured = await collector.serve({ apiKeys: ['s3cret-key'] });
    const path = file('keyed.jsonl', posts(1, 3));

    const none = await runImport([path, '--url', secured]);
    expect(none.error).to.be.instanceOf(ImportError).and.have.property('code', 'unauthorized');
    expect((none.error as Error).message).to.equal(
      `the collector at ${secured}/api/v1 needs an API key (HTTP 401): pass --api-key or set TRENDMILL_API_KEY`,
    );
    const wrong = await runImport([path, '--url', secured, '--api-key', 'wrong-key']);
    expect((wrong.error as Error).message).to.match(/refused the API key \(HTTP 401\)/);
    expect(`${String(wrong.error)}${wrong.stdout}${wrong.stderr}`).not.to.contain('wrong-key');

    const withFlag = await runImport([path, '--url', secured, '--api-key', 's3cret-key', '--json']);
    expect(withFlag.json).to.include({ accepted: 3 });
    const withEnv = await runImport([path, '--json'], {
      env: { TRENDMILL_URL: secured, TRENDMILL_API_KEY: 's3cret-key' },
    });
    expect(withEnv.json).to.include({ duplicates: 3 });
    for (const run of [withFlag, withEnv]) expect(run.stdout + run.stderr).not.to.contain('s3cret-key');
  });

  it('explains a missing file and a URL where nothing listens', async () => {
    const missing = await runImport([join(dir, 'nope.jsonl'), '--url', base]);
    expect((missing.error as Error).message).to.equal(`file not found: ${join(dir, 'nope.jsonl')}`);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    const nowhere = await runImport([file('any.jsonl', posts(1, 1)), '--url', `http://127.0.0.1:${port}`]);
    expect(nowhere.error).to.be.instanceOf(ImportError).and.have.property('code', 'unreachable');
    expect((nowhere.error as Error).message).to.match(
      new RegExp(
        `^cannot reach the collector at http://127\\.0\\.0\\.1:${port}/api/v1 \\((connect )?ECONNREFUSED.*make run`,
      ),
    );
    expect(Date.now() - started).to.be.below(5_000); // not retried: nothing was sent yet
  });

  it('accepts the URL with /api/v1 and says so when the URL is not a collector', async () => {
    const run = await runImport([file('a.jsonl', posts(1, 1)), '--url', `${base}/api/v1/`, '--json']);
    expect(run.json).to.include({ accepted: 1 });
    const other = createServer((_req, res) => res.writeHead(404).end('not here'));
    const url = await collector.listen(other);
    const wrong = await runImport([file('b.jsonl', posts(1, 1)), '--url', url]);
    expect((wrong.error as Error).message).to.equal(
      `no Trendmill collector API at ${url}/api/v1 (HTTP 404); check --url / TRENDMILL_URL`,
    );
  });

  it('stops cleanly when interrupted, naming the line to resume from', async () => {
    const interrupt = new AbortController();
    const proxy = new FlakyProxy(base, (n) => {
      if (n === 2) interrupt.abort();
      return 'forward';
    });
    const url = await collector.listen(proxy.server);
    const run = await runImport(
      [file('ctrl-c.jsonl', posts(1, 9)), '--url', url, '--batch-size', '3', '--json'],
      {
        signal: interrupt.signal,
      },
    );
    expect(run.error).to.be.instanceOf(ImportError).and.have.property('code', 'interrupted');
    expect((run.error as Error).message).to.match(/^interrupted; stopped at line 4 .*--from-line 4$/);
    expect(run.json).to.include({ lines: 3, accepted: 3, stoppedAtLine: 4 });
  });

  it('draws a progress bar on a terminal and prints progress lines otherwise', async () => {
    const path = file('progress.jsonl', posts(1, 5));
    const tty = await runImport([path, '--url', base], { tty: true });
    expect(tty.stderr).to.match(
      /progress\.jsonl \[.*\] 100% \| 5 lines \| 5 accepted \| 0 duplicates \| 0 rejected/,
    );
    expect(tty.stderr).to.contain('\u001b['); // drawn in place, with cursor control
    const plain = await runImport([path, '--url', base]);
    expect(plain.stderr).to.contain('progress.jsonl: 100% — 5 lines, 0 accepted, 5 duplicates, 0 rejected\n');
    expect(plain.stderr).not.to.contain('\u001b['); // no terminal control codes in a log
  });

  it('treats a missing FILE, a bad --batch-size, --from-line or --source and extra arguments as usage errors', async () => {
    const path = file('u.jsonl', posts(1, 1));
    for (const argv of [
      [],
      [path, path],
      [path, '--batch-size', '0'],
      [path, '--batch-size', '1001'],
      [path, '--batch-size', 'ten'],
      [path, '--from-line', '0'],
      [path, '--source', 'has space'],
      [path, '--url', 'ftp://host'],
      [path, '--url', 'http://user:pw@host'],
      [path, '--bogus'],
    ]) {
      const run = await runImport(argv);
      expect(run.error, JSON.stringify(argv)).to.be.instanceOf(UsageError);
    }
  });

  /** Spawns the real CLI (`trendmill import ...`) against the test collector. */
  const cli = (args: string[]) => {
    const child = spawn(process.execPath, [join(repo, 'services/cli/bin/trendmill.js'), 'import', ...args], {
      env: { ...process.env, TRENDMILL_URL: base },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stdout, stderr })),
    );
    return Object.assign(done, { child });
  };

  it('runs as `trendmill import` from the command line: exit 1 on rejected lines, 2 on usage errors', async () => {
    const path = join(dir, 'cli.jsonl');
    copyFileSync(join(fixtures, 'sample.jsonl'), path);
    const imported = await cli([path, '--json']);
    expect(imported.stdout, `no JSON summary; stderr: ${imported.stderr}`).to.match(/\}\n$/);
    expect(imported.code, imported.stderr).to.equal(1);
    const summary = JSON.parse(imported.stdout.trimEnd().split('\n').at(-1)!);
    expect(summary).to.include({ source: 'cli.jsonl', lines: 6, accepted: 4, rejected: 1 });
    expect(summary.reasons.invalid_json.lines).to.deep.equal([5]);

    const usage = await cli(['--batch-size', '5000', path]);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain('trendmill import: --batch-size must be an integer from 1 to 1000');

    const missing = await cli([join(dir, 'missing.jsonl')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.equal(`trendmill import: file not found: ${join(dir, 'missing.jsonl')}`);
  });

  it('stops on Ctrl-C (SIGINT) while a batch is in flight and says where to resume', async () => {
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const proxy = new FlakyProxy(base, (n) => {
      if (n !== 2) return 'forward';
      holding();
      return 'hold';
    });
    const url = await collector.listen(proxy.server);
    const run = cli([file('sigint.jsonl', posts(1, 9)), '--url', url, '--batch-size', '3', '--json']);
    await Promise.race([
      held,
      run.then((early) => {
        throw new Error(`trendmill import exited (${early.code}) before its second batch: ${early.stderr}`);
      }),
    ]);
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run;
    expect(code).to.equal(1);
    expect(stderr.trim().split('\n').at(-1)).to.match(
      /^trendmill import: interrupted; stopped at line 4 \(every line before it is settled\): resume with --from-line 4$/,
    );
    expect(JSON.parse(stdout.trimEnd().split('\n').at(-1)!)).to.include({
      lines: 3,
      accepted: 3,
      stoppedAtLine: 4,
    });
  });
});
