import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

interface Child {
  process: ChildProcess;
  lines: () => Array<Record<string, unknown>>;
  stderr: () => string;
  exited: Promise<number | null>;
  waitForLog: (message: string) => Promise<void>;
}

/** Runs a fixture the way services run: `node --conditions=source --import tsx <file>`. */
function run(name: string, env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture(name)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLog = async (message: string) => {
    while (!lines().some((l) => l.message === message)) {
      if (child.exitCode !== null) throw new Error(`exited before logging "${message}": ${stderr}`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { process: child, lines, stderr: () => stderr, exited, waitForLog };
}

describe('service process lifecycle', function () {
  this.timeout(30_000);

  it('on SIGTERM finishes the in-flight message, stops, and exits 0', async () => {
    const child = run('graceful-service.ts', { JOB_MS: '700' });
    await child.waitForLog('job started');
    child.process.kill('SIGTERM');
    expect(await child.exited).to.equal(0);
    const messages = child.lines().map((l) => l.message);
    // The job (delivered during start) was still running when the signal came, and stop waited for it.
    expect(messages.slice(-3)).to.deep.equal(['fixture shutting down', 'job finished', 'fixture stopped']);
    expect(messages.slice(0, 2)).to.have.members(['fixture started', 'job started']);
    expect(child.lines().every((l) => l.service === 'fixture')).to.equal(true);
  });

  it('exits at once on a second signal', async () => {
    const child = run('graceful-service.ts', { JOB_MS: '20000' });
    await child.waitForLog('job started');
    child.process.kill('SIGTERM');
    await child.waitForLog('fixture shutting down');
    child.process.kill('SIGINT');
    expect(await child.exited).to.equal(130);
    expect(child.lines().map((l) => l.message)).to.not.include('job finished');
  });

  it('exits 1 when stopping outlasts the hard timeout', async () => {
    const child = run('graceful-service.ts', { JOB_MS: '20000', SHUTDOWN_TIMEOUT_MS: '300' });
    await child.waitForLog('job started');
    child.process.kill('SIGTERM');
    expect(await child.exited).to.equal(1);
    expect(child.lines().at(-1)?.message).to.equal('fixture did not stop within 300 ms; exiting anyway');
  });

  it('logs an unhandled rejection without its secrets and exits 1', async () => {
    const child = run('graceful-service.ts', { CRASH: '1' });
    expect(await child.exited).to.equal(1);
    const crash = child.lines().find((l) => l.message === 'fixture crashed: unhandled rejection');
    expect(crash).to.have.nested.property('err.message', 'lost connection to amqp://guest:***@mq');
    expect(crash).to.have.property('level', 'error');
  });
});

describe('configuration errors at start-up', function () {
  this.timeout(30_000);

  it('print one line naming the variable and exit 1', async () => {
    const child = run('bad-config.ts', {
      SERVICE_NAME: 'normalizer',
      BROKER_URL: 'foo',
      DATABASE_URL: 'postgres://app:hunter2@db/trendmill',
    });
    expect(await child.exited).to.equal(1);
    expect(child.stderr()).to.equal(
      'Invalid configuration: BROKER_URL: expected a URL with scheme memory://, amqp://, amqps:// or kafka:// (got "foo")\n',
    );
  });

  it('let a valid configuration through', async () => {
    const child = run('bad-config.ts', {
      SERVICE_NAME: 'normalizer',
      BROKER_URL: 'memory://',
      DATABASE_URL: 'pglite://./data',
    });
    expect(await child.exited).to.equal(0);
  });
});
