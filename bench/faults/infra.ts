import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { promisify } from 'node:util';

/**
 * Stops and starts the machine's shared servers. Every stop is paired with a start in a
 * `finally`, and `ensureInfraUp` runs after every scenario, so a failed scenario never leaves
 * RabbitMQ, PostgreSQL or Redis down for the other people using this machine.
 */
const exec = promisify(execFile);
const sh = async (cmd: string, args: string[]) => (await exec(cmd, args, { timeout: 120_000 })).stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function restartRabbitMq(downMs: number): Promise<void> {
  // stop_app keeps the Erlang node; quorum queues and their messages are on disk and come back.
  await sh('rabbitmqctl', ['stop_app']);
  try {
    await sleep(downMs);
  } finally {
    await sh('rabbitmqctl', ['start_app']);
    await waitPort(5672, 60_000);
  }
}

export async function restartPostgres(): Promise<void> {
  const version = readdirSync('/etc/postgresql')[0];
  if (!version) throw new Error('no cluster under /etc/postgresql');
  try {
    await sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
  } finally {
    await ensurePostgres();
  }
}

export async function stopRedis(downMs: number): Promise<void> {
  await sh('redis-cli', ['shutdown', 'nosave']).catch(() => undefined); // the connection drops: expected
  try {
    await sleep(downMs);
  } finally {
    await startRedis();
  }
}

async function startRedis(): Promise<void> {
  if (await portOpen(6379)) return;
  await sh('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitPort(6379, 30_000);
}

async function ensurePostgres(): Promise<void> {
  if (await portOpen(5432)) return;
  const version = readdirSync('/etc/postgresql')[0]!;
  await sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']).catch(() => undefined);
  await waitPort(5432, 60_000);
}

/** Brings back anything a scenario left stopped. */
export async function ensureInfraUp(): Promise<void> {
  if (!(await portOpen(5672))) await sh('rabbitmqctl', ['start_app']).catch(() => undefined);
  await ensurePostgres();
  await startRedis();
  await waitPort(5672, 60_000);
}

async function waitPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
