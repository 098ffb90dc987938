import type { PGlite } from '@electric-sql/pglite';
import type { PgliteHandle } from './pglite-thread.js';
import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { parseDatabaseUrl } from './database-url.js';
import { acquirePglite } from './pglite-registry.js';
import { assertSchemaName } from './sql-client.js';

type SqlDriverAdapter = Awaited<ReturnType<SqlDriverAdapterFactory['connect']>>;

/**
 * Where a Prisma client connects, and in which schema. Exactly one of `url`, `pool` or `pglite`;
 * a `Database` from `openDatabase` qualifies as it is.
 */
export interface PrismaTarget {
  schema: string;
  /** `postgres://…` (the adapter owns its pool) or `pglite://…` (leases the shared instance). */
  url?: string;
  /** An existing pool; the client does not end it. */
  pool?: pg.Pool;
  /** An existing PGlite instance; the client does not close it. */
  pglite?: PgliteHandle;
}

/** Any service's generated `PrismaClient` class (Prisma 7 `prisma-client` generator). */
export type PrismaClientClass = new (options: never) => unknown;

/** The client a generated class creates. */
export type PrismaClientOf<C extends PrismaClientClass> = C extends new (options: never) => infer Client
  ? Client
  : never;

/** The class's constructor options other than the adapter (log, transactionOptions...). */
export type PrismaClientOptionsOf<C extends PrismaClientClass> = C extends new (options: infer O) => unknown
  ? Omit<Extract<O, { adapter: unknown }>, 'adapter'>
  : never;

/**
 * Creates `ClientClass` bound to `target.schema`: the schema goes to the driver adapter, whose
 * connection info makes Prisma qualify every table (`"collector"."sources"`), instead of relying
 * on search_path. That is what lets several services share one PGlite: it has a single
 * connection, so a per-client `SET search_path` would leak into every other client's queries.
 * `@prisma/adapter-pg` takes the schema as an option; pglite-prisma-adapter (0.7) has no such
 * option, so its adapter is wrapped to report the schema itself.
 */
export function createPrismaClient<C extends PrismaClientClass>(
  ClientClass: C,
  target: PrismaTarget,
  options?: PrismaClientOptionsOf<C>,
): PrismaClientOf<C> {
  // The generated constructor is generic over its options; here they are only passed through.
  const Client = ClientClass as unknown as new (options: object) => PrismaClientOf<C>;
  return new Client({ ...options, adapter: prismaAdapter(target) });
}

/** The driver adapter factory for a target, for callers that build their client themselves. */
export function prismaAdapter(target: PrismaTarget): SqlDriverAdapterFactory {
  const schema = assertSchemaName(target.schema);
  const given = [target.url, target.pool, target.pglite].filter((t) => t !== undefined).length;
  if (given !== 1) throw new Error('a Prisma target needs exactly one of url, pool or pglite');
  if (target.pool) return new PrismaPg(target.pool, { schema });
  if (target.pglite) return pgliteAdapter(target.pglite, schema);
  const location = parseDatabaseUrl(target.url as string);
  if (location.kind === 'postgres') return new PrismaPg({ connectionString: location.url }, { schema });
  return leasedPgliteAdapter(location.location, schema);
}

function pgliteAdapter(pglite: PgliteHandle, schema: string): SqlDriverAdapterFactory {
  const inner = new PrismaPGlite(asPglite(pglite));
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withSchema(await inner.connect(), schema),
  };
}

/** Leases the process-wide PGlite for the location on connect and gives it back on $disconnect. */
function leasedPgliteAdapter(location: string, schema: string): SqlDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    connect: async () => {
      const lease = await acquirePglite(location);
      const adapter = withSchema(await new PrismaPGlite(asPglite(lease.pglite)).connect(), schema);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await lease.release();
      };
      return adapter;
    },
  };
}

function withSchema(adapter: SqlDriverAdapter, schema: string): SqlDriverAdapter {
  const info = adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  adapter.getConnectionInfo = () => ({ ...info, schemaName: schema });
  return adapter;
}

/**
 * The adapter is typed for PGlite's class but calls only `query` (with `rowMode` and `parsers`),
 * `exec` and `transaction` (whose handle's `query` and `rollback`), which `PgliteThread` provides.
 */
function asPglite(pglite: PgliteHandle): PGlite {
  return pglite as unknown as PGlite;
}
