import { parseArgs } from 'node:util';
import { createPrismaClient, migrate, openDatabase } from '@trendmill/platform';
import {
  ApiKeyStore,
  GATEWAY_MIGRATIONS_DIR,
  GatewayPrismaClient,
  parseScopes,
  type ApiKeyView,
} from '@trendmill/gateway';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { embeddedDatabaseUrl } from '../embedded/data-layout.js';

const usage = `Usage:
  trendmill keys create --scope read[,write,admin] [--name NAME] [--json]
  trendmill keys list   [--all] [--json]
  trendmill keys revoke ID [--json]

Manages the gateway's API keys in its database: DATABASE_URL (schema GATEWAY_DB_SCHEMA, default
gateway), else the embedded default's PGlite under TRENDMILL_DATA (default ./data) — stop
\`trendmill run\` first, or use the admin API (POST /api/v1/admin/keys) while it runs.
A new key is printed once; only its salted hash is stored.

  --scope   comma-separated scopes: read (GET), write (ingest, sources), admin (everything)
  --name    a label for the key (default "cli")
  --all     list revoked keys too`;

export interface KeysEnvironment {
  databaseUrl: string;
  schema: string;
}

export function keysEnvironment(env: NodeJS.ProcessEnv = process.env): KeysEnvironment {
  const schema = env.GATEWAY_DB_SCHEMA ?? 'gateway';
  return {
    databaseUrl: env.DATABASE_URL ?? embeddedDatabaseUrl(env.TRENDMILL_DATA ?? './data', schema),
    schema,
  };
}

export interface KeysArgs {
  action: 'create' | 'list' | 'revoke';
  scopes?: ReturnType<typeof parseScopes>;
  name: string;
  id?: string;
  all: boolean;
  json: boolean;
}

/** The command line, checked before anything is opened. */
export function parseKeysArgs(argv: string[]): KeysArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scope: { type: 'string' },
      name: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const action = positionals[0];
  if (action !== 'create' && action !== 'list' && action !== 'revoke')
    throw new UsageError('expected "create", "list" or "revoke"');
  const name = (values.name ?? 'cli').trim();
  if (!name || name.length > 200) throw new UsageError('--name must be 1-200 characters');
  const args: KeysArgs = { action, name, all: values.all, json: values.json };
  if (action === 'create') {
    if (!values.scope) throw new UsageError('create needs --scope read[,write,admin]');
    try {
      args.scopes = parseScopes(values.scope);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  if (action === 'revoke') {
    const id = positionals[1];
    if (!id) throw new UsageError('revoke needs the key id (see "trendmill keys list")');
    args.id = id;
  }
  return args;
}

export const keys: Command = {
  summary: 'create, list or revoke gateway API keys',
  usage,
  async run(argv) {
    const args = parseKeysArgs(argv);
    if (args === 'help') {
      console.log(usage);
      return 0;
    }
    const env = keysEnvironment();
    const db = await openDatabase({ url: env.databaseUrl, schema: env.schema });
    const prisma = createPrismaClient(GatewayPrismaClient, db);
    try {
      await migrate(db.sql, { schema: db.schema, dirs: [GATEWAY_MIGRATIONS_DIR] });
      const store = new ApiKeyStore(prisma);
      if (args.action === 'create') {
        const { key, view } = await store.create({ name: args.name, scopes: args.scopes! });
        if (args.json) console.log(JSON.stringify({ ...view, key }));
        else {
          console.log(key);
          console.error(`Created key ${view.id} (${view.scopes.join(',')}). It is shown only this once.`);
        }
        return 0;
      }
      if (args.action === 'list') {
        const views = await store.list({ includeRevoked: args.all });
        if (args.json) console.log(JSON.stringify(views));
        else if (views.length === 0) console.log('No API keys.');
        else for (const v of views) console.log(describe(v));
        return 0;
      }
      const view = await store.revoke(args.id!);
      if (!view) {
        console.error(`No API key ${args.id}.`);
        return 1;
      }
      console.log(args.json ? JSON.stringify(view) : `Revoked ${view.id} (${view.name}).`);
      return 0;
    } finally {
      await prisma.$disconnect();
      await db.close();
    }
  },
};

function describe(v: ApiKeyView): string {
  return [
    v.id,
    v.scopes.join(','),
    v.name,
    `created ${v.createdAt}`,
    v.revokedAt ? `revoked ${v.revokedAt}` : 'active',
  ].join('\t');
}
