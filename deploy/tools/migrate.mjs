#!/usr/bin/env node
// Applies every service's SQL migrations ahead of a rollout (the Kubernetes migration Job, the
// compose `migrate` service). Services also migrate on start-up under the same advisory lock, so
// this is an optimisation and an early failure, never a second source of truth.
//
//   DATABASE_URL=postgres://… node deploy/tools/migrate.mjs [SERVICE ...]   (default: every service)
//
// A service's schema is <SERVICE>_DB_SCHEMA when set, else its name, as in its config. Prints one
// JSON line per service; exits 1 on the first failure.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, redactDatabaseUrl } from '@trendmill/platform';

const servicesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'services');
const migrationsOf = (service) => join(servicesDir, service, 'prisma', 'migrations');
// The platform's runtime tables are applied into every service schema by migrate() itself.
const withMigrations = readdirSync(servicesDir)
  .filter((name) => name !== 'platform' && existsSync(migrationsOf(name)))
  .sort();

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL: required but not set\n');
  process.exit(1);
}
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !withMigrations.includes(name));
if (unknown.length) {
  process.stderr.write(`no migrations for ${unknown.join(', ')} (known: ${withMigrations.join(', ')})\n`);
  process.exit(1);
}

for (const service of wanted.length ? wanted : withMigrations) {
  const variable = `${service.toUpperCase().replace(/-/g, '_')}_DB_SCHEMA`;
  const schema = process.env[variable] || service.replace(/-/g, '_');
  const db = await openDatabase({ url, schema });
  try {
    const report = await migrate(db.sql, { schema, dirs: [migrationsOf(service)] });
    const line = {
      service,
      schema,
      applied: report.applied.map((m) => m.name),
      alreadyApplied: report.alreadyApplied.length,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `migrating ${service} (schema ${schema}) on ${redactDatabaseUrl(url)} failed: ${message}\n`,
    );
    process.exitCode = 1;
    break;
  } finally {
    await db.close();
  }
}
