import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@trendmill/platform/testing';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(repo, 'services/cli/bin/trendmill.js');

/** `trendmill run` as a child process on a free-ish port with its own data directory. */
export class EmbeddedPipeline {
  readonly port = 20_000 + Math.floor(Math.random() * 20_000);
  readonly dataDir = mkdtempSync(join(tmpdir(), 'trendmill-browser-'));
  output = '';
  private child?: ChildProcess;

  constructor(private readonly env: Record<string, string> = {}) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The local admin key the launcher keeps in the data directory. */
  get key(): string {
    return readFileSync(join(this.dataDir, 'gateway-admin.key'), 'utf8').trim();
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, [cli, 'run', '--port', String(this.port), '--data', this.dataDir], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`trendmill run exited: ${this.output}`);
        return (await fetch(`${this.base}/readyz`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: 'trendmill run ready' },
    );
  }

  /** POST /api/v1 + path with the local key; throws on anything but 2xx. */
  async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
