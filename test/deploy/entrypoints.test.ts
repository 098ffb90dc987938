import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_POSTGRES_URL, waitFor } from '@trendmill/platform/testing';
import { environmentOf, resolvedCompose } from './support/compose.js';
import { loadServiceConfig } from './support/config-schemas.js';
import { entrypointArgv } from './support/dockerfile.js';
import { freePort, localArgv, startNode } from './support/processes.js';
import { DEPLOYED_SERVICES, runnableServices } from './support/repo.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COMPOSE_HOSTS = new Set(Object.keys(resolvedCompose().services));
const tempDirs: string[] = [];

/**
 * The environment compose gives the container, moved onto this machine: the servers are the local
 * ones (this run's own queue prefix and schemas so parallel runs never meet), other compose hosts
 * become 127.0.0.1, the port is a free one. Tracing stays on, aimed at a port where nothing
 * listens, so the preload path the image takes runs too.
 */
function localEnvironment(
  composeEnv: Record<string, string>,
  known: Set<string>,
  run: string,
  port: number,
  schemas: string[],
) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(composeEnv)) {
    env[key] = value.replace(
      /^(\w+:\/\/(?:[^@/]*@)?)([a-z][a-z0-9-]*)(?=[:/]|$)/,
      (whole, prefix: string, host: string) => (COMPOSE_HOSTS.has(host) ? `${prefix}127.0.0.1` : whole),
    );
  }
  env.DATABASE_URL = TEST_POSTGRES_URL;
  if (env.BROKER_URL?.startsWith('amqp'))
    env.BROKER_URL = `${RABBITMQ_URL}?prefix=trendmill-deploytest-${run}`;
  if (env.REDIS_URL) env.REDIS_URL = REDIS_URL;
  // No Qdrant on this machine unless QDRANT_URL names one: without it the query service takes its
  // embedded index (a fresh directory per run), as it would in a container without QDRANT_URL.
  if ('QDRANT_URL' in env) {
    if (process.env.QDRANT_URL) env.QDRANT_URL = process.env.QDRANT_URL;
    else delete env.QDRANT_URL;
  }
  env.HTTP_PORT = String(port);
  env.LOG_LEVEL = 'warn';
  // Data directories (the query service's embedded vector index) go to a fresh temporary folder,
  // never into the repository's ./data of the embedded default.
  for (const key of [...known].filter((k) => k.endsWith('_DIR') && k !== 'MODEL_DIR')) {
    env[key] = mkdtempSync(join(tmpdir(), `trendmill-deploytest-${key.toLowerCase()}-`));
    tempDirs.push(env[key]);
  }
  for (const key of Object.keys(env).filter((k) => k.endsWith('_DB_SCHEMA'))) {
    env[key] = `deploytest_${key.slice(0, -'_DB_SCHEMA'.length).toLowerCase()}_${run}`;
    schemas.push(env[key]);
  }
  return env;
}

describe('each service container command, run as a plain process with the compose environment', function () {
  this.timeout(180_000);
  const schemas: string[] = [];

  after(async () => {
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const service of DEPLOYED_SERVICES) {
    it(`${service}: starts, answers /healthz, and exits 0 on SIGTERM`, async function () {
      const config = await loadServiceConfig(service);
      if (!runnableServices().includes(service) || !config) return this.skip();
      const run = randomUUID().slice(0, 8);
      const port = await freePort();
      const composeEnv = environmentOf(resolvedCompose().services[service]!);
      const env = localEnvironment(composeEnv, config.known, run, port, schemas);
      const { argv, mode } = localArgv(entrypointArgv(service), service);
      // Say which files ran: the built dist/ (exactly the image's command) or src/ through tsx.
      this.test!.title += ` [${mode}]`;
      // Only PATH and HOME from this machine: the service sees what its container would see.
      const proc = startNode(argv, { PATH: process.env.PATH, HOME: process.env.HOME, ...env });
      let exitedEarly: string | undefined;
      void proc.exited.then((f) => (exitedEarly = `exited with ${f.code ?? f.signal}: ${f.output}`));
      try {
        await waitFor(
          async () => {
            if (exitedEarly) throw new Error(`${service} (${mode}) ${exitedEarly}`);
            const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
            return res?.status === 200;
          },
          {
            timeoutMs: 90_000,
            intervalMs: 250,
            what: `${service} /healthz (${mode}); output: ${proc.output()}`,
          },
        );
        const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string };
        expect(body.status).to.equal('alive');
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics, 'metrics carry the service label').to.contain(`service="${service}"`);
        proc.child.kill('SIGTERM');
        const finished = await proc.exited;
        expect(finished.code, `${service} (${mode}) exit; output: ${finished.output}`).to.equal(0);
      } finally {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      }
    });
  }
});
