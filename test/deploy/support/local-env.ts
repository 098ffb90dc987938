import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '@trendmill/platform/testing';
import { environmentOf, resolvedCompose } from './compose.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What a run created on this machine (schemas, folders), removed by cleanup(). */
export class LocalRun {
  readonly id = randomUUID().slice(0, 8);
  private readonly schemas: string[] = [];
  private readonly dirs: string[] = [];

  /**
   * The environment compose gives the service's container, moved onto this machine: the servers
   * are the local ones (this run's own queue prefix and schemas, so parallel runs never meet),
   * other compose hosts become 127.0.0.1, the port is the one given. Tracing stays on, aimed at a
   * port where nothing listens, so the preload path the image takes runs too.
   */
  environment(service: string, known: Set<string>, port: number): Record<string, string> {
    const composeHosts = new Set(Object.keys(resolvedCompose().services));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(environmentOf(resolvedCompose().services[service]!))) {
      env[key] = value.replace(
        /^(\w+:\/\/(?:[^@/]*@)?)([a-z][a-z0-9-]*)(?=[:/]|$)/,
        (whole, prefix: string, host: string) => (composeHosts.has(host) ? `${prefix}127.0.0.1` : whole),
      );
    }
    env.DATABASE_URL = TEST_POSTGRES_URL;
    if (env.BROKER_URL?.startsWith('amqp'))
      env.BROKER_URL = `${RABBITMQ_URL}?prefix=trendmill-deploytest-${this.id}`;
    if (env.REDIS_URL) env.REDIS_URL = REDIS_URL;
    // No Qdrant on this machine unless QDRANT_URL names one: without it the query service takes
    // its embedded index (a fresh directory), as it would in a container without QDRANT_URL.
    if ('QDRANT_URL' in env) {
      if (process.env.QDRANT_URL) env.QDRANT_URL = process.env.QDRANT_URL;
      else delete env.QDRANT_URL;
    }
    env.HTTP_PORT = String(port);
    env.LOG_LEVEL = 'warn';
    // Data directories (the query service's vector index) go to a fresh temporary folder, never
    // into the repository's ./data of the embedded default.
    for (const key of [...known].filter((k) => k.endsWith('_DIR') && k !== 'MODEL_DIR')) {
      env[key] = mkdtempSync(join(tmpdir(), `trendmill-deploytest-${key.toLowerCase()}-`));
      this.dirs.push(env[key]);
    }
    for (const key of Object.keys(env).filter((k) => k.endsWith('_DB_SCHEMA'))) {
      env[key] = `deploytest_${key.slice(0, -'_DB_SCHEMA'.length).toLowerCase()}_${this.id}`;
      this.schemas.push(env[key]);
    }
    return env;
  }

  async cleanup(): Promise<void> {
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    for (const schema of new Set(this.schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
