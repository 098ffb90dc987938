import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import pg from 'pg';

/**
 * The distributed topology as plain OS processes: each Trendmill service started from its own
 * `src/main.ts` (the entrypoint the container runs, from sources through tsx) against the local
 * RabbitMQ, PostgreSQL and Redis, with the embedded vector store in place of Qdrant. Everything a
 * run creates is namespaced by one random prefix (queues, exchange, schemas, vector folder) and
 * removed by `stop()`.
 */

export const SERVICES = ['query', 'clusterer', 'embedder', 'normalizer', 'collector', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

const repo = fileURLToPath(new URL('../..', import.meta.url));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const POSTGRES_URL = process.env.TRENDMILL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = promisify(execFile);

export interface TopologyOptions {
  /** Processes per service (default 1 each). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Extra environment per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  logLevel?: string;
  /** How long each process may take to report ready. */
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  service: ServiceName;
  replica: number;
  port: number;
  child: ChildProcess;
  output: string;
}

export class Topology {
  readonly prefix = `tmtopo_${randomBytes(4).toString('hex')}`;
  readonly apiKey = `tm_test_${randomBytes(16).toString('hex')}`;
  readonly processes: ServiceProcess[] = [];
  private readonly vectorDir = mkdtempSync(join(tmpdir(), 'trendmill-topology-'));
  private readonly ports = new Map<ServiceName, number[]>();

  private constructor(private readonly options: TopologyOptions) {}

  static async start(options: TopologyOptions = {}): Promise<Topology> {
    const topology = new Topology(options);
    try {
      for (const service of SERVICES) {
        const count = options.replicas?.[service] ?? 1;
        const ports: number[] = [];
        for (let i = 0; i < count; i++) ports.push(await freePort());
        topology.ports.set(service, ports);
      }
      // Downstream first: every queue is bound before anything upstream publishes into it.
      for (const service of SERVICES) {
        await Promise.all(
          topology.ports.get(service)!.map((_, replica) => topology.launch(service, replica)),
        );
      }
      return topology;
    } catch (err) {
      await topology.stop();
      throw err;
    }
  }

  url(service: ServiceName, replica = 0): string {
    return `http://127.0.0.1:${this.ports.get(service)![replica]}`;
  }

  get gateway(): string {
    return this.url('gateway');
  }

  /** Everything a replica of `service` gets in its environment. */
  env(service: ServiceName): Record<string, string> {
    const schema = (name: ServiceName) => `${this.prefix}_${name}`;
    const common: Record<string, string> = {
      SERVICE_NAME: service,
      BROKER_URL: `${RABBITMQ_URL}?prefix=${this.prefix}`,
      DATABASE_URL: POSTGRES_URL,
      REDIS_URL,
      LOG_LEVEL: this.options.logLevel ?? 'warn',
    };
    const own: Record<ServiceName, Record<string, string>> = {
      collector: { COLLECTOR_DB_SCHEMA: schema('collector') },
      normalizer: { NORMALIZER_DB_SCHEMA: schema('normalizer') },
      embedder: { EMBEDDER_DB_SCHEMA: schema('embedder'), EMBEDDER_CACHE: 'memory' },
      clusterer: { CLUSTERER_DB_SCHEMA: schema('clusterer') },
      query: {
        QUERY_DB_SCHEMA: schema('query'),
        QUERY_VECTOR_DIR: join(this.vectorDir, 'query'),
        EMBEDDER_URL: this.url('embedder'),
      },
      gateway: {
        GATEWAY_DB_SCHEMA: schema('gateway'),
        QUERY_URL: this.url('query'),
        COLLECTOR_URL: this.url('collector'),
        EMBEDDER_URL: this.url('embedder'),
        GATEWAY_BOOTSTRAP_ADMIN_KEY: this.apiKey,
      },
    };
    return { ...common, ...own[service], ...(this.options.env?.[service] ?? {}) };
  }

  /** Starts (or restarts) one replica and waits until it reports ready. */
  async launch(service: ServiceName, replica: number): Promise<ServiceProcess> {
    const port = this.ports.get(service)![replica]!;
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(repo, 'services', service, 'src', 'main.ts')],
      {
        cwd: repo,
        env: { ...process.env, ...this.env(service), HTTP_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const proc: ServiceProcess = { service, replica, port, child, output: '' };
    child.stdout!.on('data', (d) => (proc.output = (proc.output + d).slice(-20_000)));
    child.stderr!.on('data', (d) => (proc.output = (proc.output + d).slice(-20_000)));
    const index = this.processes.findIndex((p) => p.service === service && p.replica === replica);
    if (index >= 0) this.processes[index] = proc;
    else this.processes.push(proc);
    await this.waitReady(proc);
    return proc;
  }

  /** Waits for /readyz = 200, or fails with the process's output when it exits or takes too long. */
  async waitReady(proc: ServiceProcess): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 90_000);
    for (;;) {
      if (proc.child.exitCode !== null)
        throw new Error(`${proc.service}#${proc.replica} exited with ${proc.child.exitCode}: ${proc.output}`);
      const res = await fetch(`http://127.0.0.1:${proc.port}/readyz`).catch(() => undefined);
      // The gateway's app answers 503 `starting` until its service has started, after /readyz.
      if (res?.status === 200 && (proc.service !== 'gateway' || (await this.gatewayServing(proc.port))))
        return;
      if (Date.now() > deadline)
        throw new Error(`${proc.service}#${proc.replica} not ready in time: ${proc.output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async gatewayServing(port: number): Promise<boolean> {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/stats`, {
      headers: { authorization: `Bearer ${this.apiKey}` },
    }).catch(() => undefined);
    return res !== undefined && res.status !== 503;
  }

  /** Sends a signal to one replica and waits for it to exit; returns its exit code. */
  async kill(service: ServiceName, replica = 0, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const proc = this.processes.find((p) => p.service === service && p.replica === replica);
    if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null)
      return proc?.child.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code)));
    proc.child.kill(signal);
    return exited;
  }

  /** Stops every process (SIGTERM, then SIGKILL after a grace period) and removes what the run created. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.processes].reverse().map(async (proc) => {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
        proc.child.kill('SIGTERM');
        const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.dropSchemas().catch(() => undefined);
    await this.deleteQueues().catch(() => undefined);
    rmSync(this.vectorDir, { recursive: true, force: true });
  }

  private async dropSchemas(): Promise<void> {
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    try {
      for (const service of SERVICES)
        await pool.query(`DROP SCHEMA IF EXISTS "${this.prefix}_${service}" CASCADE`);
    } finally {
      await pool.end();
    }
  }

  private async deleteQueues(): Promise<void> {
    const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name']);
    const queues = stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((q) => q.startsWith(`${this.prefix}.`));
    const conn = await connect(RABBITMQ_URL);
    try {
      const ch = await conn.createChannel();
      for (const q of queues) await ch.deleteQueue(q);
      await ch.deleteExchange(`${this.prefix}.events`);
      await ch.close();
    } finally {
      await conn.close();
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
