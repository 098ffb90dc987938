import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { createPrismaClient } from '@trendmill/platform';
import {
  TEST_POSTGRES_URL,
  createPostgresTestDatabase,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { PrismaClient } from '../../src/store/prisma.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../cli/bin/trendmill.js', import.meta.url));

describe('trendmill keys (the CLI against PostgreSQL)', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  const env = () => ({ ...process.env, DATABASE_URL: TEST_POSTGRES_URL, GATEWAY_DB_SCHEMA: db.schema });
  const cli = (...args: string[]) => run(process.execPath, [BIN, 'keys', ...args], { env: env() });

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwcli' });
  });
  after(async () => {
    await db?.cleanup();
  });

  it('creates a key that the gateway accepts, lists it without its secret, and revokes it', async () => {
    const created = await cli('create', '--scope', 'read,write', '--name', 'ci bot', '--json');
    const view = JSON.parse(created.stdout.trim().split('\n').at(-1)!) as {
      id: string;
      key: string;
      scopes: string[];
    };
    expect(view.scopes).to.deep.equal(['read', 'write']);
    expect(view.key).to.match(/^tm_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);

    const prisma = createPrismaClient(PrismaClient, db);
    try {
      // No verified-key memory: a revocation by another process (the CLI) is seen by a running
      // gateway within its 5 s memory; this test reads the table itself.
      const store = new ApiKeyStore(prisma, { verifiedTtlMs: 0 });
      expect(await store.verify(view.key)).to.deep.include({ id: view.id, name: 'ci bot' });

      const listed = await cli('list');
      expect(listed.stdout).to.include(view.id).and.include('read,write').and.include('ci bot');
      expect(listed.stdout).to.not.include(view.key.slice(16));

      const revoked = await cli('revoke', view.id);
      expect(revoked.stdout).to.include(`Revoked ${view.id}`);
      expect(await store.verify(view.key)).to.equal(undefined);
      expect((await cli('list')).stdout).to.include('No API keys.');
      expect((await cli('list', '--all')).stdout).to.include('revoked');
    } finally {
      await prisma.$disconnect();
    }
  });

  it('exits non-zero with the reason for a bad scope or an unknown key', async () => {
    const bad = await cli('create', '--scope', 'root').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(bad?.code).to.not.equal(0);
    expect(bad?.stderr).to.include('unknown scope root');
    const unknown = await cli('revoke', 'nosuchkey').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(unknown?.code).to.equal(1);
    expect(unknown?.stderr).to.include('No API key nosuchkey');
  });
});
