import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadMigrations, PLATFORM_MIGRATIONS_DIR } from './migrations.js';

/** The message a promise rejects with (the test fails if it resolves). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (err: Error) => err.message,
  );

describe('loadMigrations', () => {
  let root: string;
  const add = async (dir: string, name: string, sql: string | undefined) => {
    await mkdir(join(root, dir, name), { recursive: true });
    if (sql !== undefined) await writeFile(join(root, dir, name, 'migration.sql'), sql);
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'trendmill-load-migrations-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('orders by directory as given, then by folder name, and checksums the exact bytes', async () => {
    await add('platform', '20260301000000_b', 'B;');
    await add('platform', '20260101000000_a', 'A;');
    await add('service', '20250101000000_older_but_later_dir', 'C;\r\n');
    await writeFile(join(root, 'service', 'migration_lock.toml'), 'provider = "postgresql"\n');

    const loaded = await loadMigrations([join(root, 'platform'), join(root, 'service')]);
    expect(loaded.map((m) => m.name)).to.deep.equal([
      '20260101000000_a',
      '20260301000000_b',
      '20250101000000_older_but_later_dir',
    ]);
    expect(loaded[2]).to.deep.equal({
      name: '20250101000000_older_but_later_dir',
      file: join(root, 'service', '20250101000000_older_but_later_dir', 'migration.sql'),
      sql: 'C;\r\n',
      checksum: createHash('sha256').update('C;\r\n').digest('hex'),
    });
  });

  it('refuses folders it does not understand instead of skipping them', async () => {
    await add('d', 'add_widgets', 'X;');
    expect(await failure(loadMigrations([join(root, 'd')]))).to.match(/unexpected folder .*add_widgets/);
  });

  it('refuses a folder without migration.sql, a name used twice, and a missing directory', async () => {
    await add('a', '20260101000000_empty', undefined);
    expect(await failure(loadMigrations([join(root, 'a')]))).to.match(/20260101000000_empty has no readable/);
    await add('b', '20260101000000_same', 'B;');
    await add('c', '20260101000000_same', 'C;');
    expect(await failure(loadMigrations([join(root, 'b'), join(root, 'c')]))).to.match(/exists twice/);
    expect(await failure(loadMigrations([join(root, 'nope')]))).to.match(/cannot read migrations directory/);
  });

  it('finds the platform runtime-table migrations shipped with the package', async () => {
    const [first] = await loadMigrations([PLATFORM_MIGRATIONS_DIR]);
    expect(first?.name).to.match(/^\d{14}_runtime_tables$/);
    expect(first?.sql)
      .to.include('CREATE TABLE "outbox_events"')
      .and.include('CREATE TABLE "processed_events"');
  });
});
