import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '@trendmill/platform/testing';
import { startNode } from './support/processes.js';
import { repoPath } from './support/repo.js';

const TOOL = ['--conditions=source', '--import', 'tsx', 'deploy/tools/migrate.mjs'];
const withMigrations = readdirSync(repoPath('services'))
  .filter((s) => s !== 'platform' && existsSync(repoPath('services', s, 'prisma', 'migrations')))
  .sort();
const schemaVariable = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_DB_SCHEMA`;

describe('deploy/tools/migrate.mjs (the migration Job and compose `migrate`), on PostgreSQL', function () {
  this.timeout(120_000);
  const run = randomUUID().slice(0, 8);
  const schemas = Object.fromEntries(
    withMigrations.map((s) => [s, `deploytest_${s.replace(/-/g, '_')}_${run}`]),
  );
  const env = {
    ...process.env,
    DATABASE_URL: TEST_POSTGRES_URL,
    ...Object.fromEntries(withMigrations.map((s) => [schemaVariable(s), schemas[s]])),
  };

  after(async () => {
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    for (const schema of Object.values(schemas))
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('applies every service migration into its own schema, then finds nothing left to do', async () => {
    const first = await startNode(TOOL, env).exited;
    expect(first.code, first.output).to.equal(0);
    const lines = first.output
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { service: string; schema: string; applied: string[]; alreadyApplied: number },
      );
    expect(lines.map((l) => l.service)).to.deep.equal(withMigrations);
    for (const line of lines) {
      expect(line.schema).to.equal(schemas[line.service]);
      const own = readdirSync(repoPath('services', line.service, 'prisma', 'migrations'), {
        withFileTypes: true,
      })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
      expect(line.applied, line.service).to.include.members(own);
    }
    const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL });
    const { rows } = await pool.query<{ schema_name: string }>(
      'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1)',
      [Object.values(schemas)],
    );
    await pool.end();
    expect(rows.map((r) => r.schema_name).sort()).to.deep.equal(Object.values(schemas).sort());

    const second = await startNode([...TOOL, withMigrations[0]!], env).exited;
    expect(second.code, second.output).to.equal(0);
    const again = JSON.parse(second.output.trim()) as { applied: string[]; alreadyApplied: number };
    expect(again.applied).to.deep.equal([]);
    expect(again.alreadyApplied).to.be.greaterThan(0);
  });

  it('refuses an unknown service and a missing DATABASE_URL with one line and exit 1', async () => {
    const unknown = await startNode([...TOOL, 'no-such-service'], env).exited;
    expect(unknown.code).to.equal(1);
    expect(unknown.output).to.contain('no migrations for no-such-service');
    const { DATABASE_URL: _unset, ...withoutUrl } = env;
    const missing = await startNode(TOOL, withoutUrl).exited;
    expect(missing.code).to.equal(1);
    expect(missing.output.trim()).to.equal('DATABASE_URL: required but not set');
  });
});
