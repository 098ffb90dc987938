import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { LOCAL_KEY_FILE, ensureLocalApiKey } from '../../src/auth/local-key.js';
import { GATEWAY_MIGRATIONS_DIR } from '../../src/service.js';
import { PrismaClient } from '../../src/store/prisma.js';

describe('ensureLocalApiKey (the key the embedded launcher prints)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let dataDir: string;
  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'gwlocal' });
    await migrate(db.sql, { schema: db.schema, dirs: [GATEWAY_MIGRATIONS_DIR] });
    dataDir = await mkdtemp(join(tmpdir(), 'gw-local-key-'));
  });
  after(async () => {
    await db?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates an admin key once, keeps it in a 0600 file, and gives the same key on restart', async () => {
    const first = await ensureLocalApiKey(db, dataDir);
    expect(first.created).to.equal(true);
    expect(first.file).to.equal(join(dataDir, LOCAL_KEY_FILE));
    expect((await stat(first.file)).mode & 0o777).to.equal(0o600);
    expect((await readFile(first.file, 'utf8')).trim()).to.equal(first.key);
    const again = await ensureLocalApiKey(db, dataDir);
    expect(again).to.deep.include({ key: first.key, id: first.id, created: false });

    const prisma = createPrismaClient(PrismaClient, db);
    try {
      const keys = new ApiKeyStore(prisma);
      expect((await keys.verify(first.key))?.scopes).to.deep.equal(['admin']);
      const rows = await db.sql.query<{ hash: string }>(`SELECT hash FROM ${db.schema}.api_keys`);
      expect(JSON.stringify(rows)).to.not.include(first.key.slice(16));
      await keys.revoke(first.id);
    } finally {
      await prisma.$disconnect();
    }
    const replaced = await ensureLocalApiKey(db, dataDir);
    expect(replaced.created, 'a revoked key is replaced').to.equal(true);
    expect(replaced.key).to.not.equal(first.key);
  });

  it('replaces a file whose key the database does not know (a wiped database)', async () => {
    await writeFile(join(dataDir, LOCAL_KEY_FILE), `tm_aaaaaaaaaaaa_${'b'.repeat(43)}\n`, { mode: 0o644 });
    const result = await ensureLocalApiKey(db, dataDir);
    expect(result.created).to.equal(true);
    expect((await stat(result.file)).mode & 0o777).to.equal(0o600);
  });
});
