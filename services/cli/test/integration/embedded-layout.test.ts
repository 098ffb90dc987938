import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '@trendmill/platform';
import { keys } from '../../src/commands/keys.js';
import { startEmbedded } from '../../src/embedded/launcher.js';

const SERVICES = ['collector', 'normalizer', 'embedder', 'clusterer', 'query', 'gateway'];

/** Starts the embedded default on `dataDir`, waits for one ingested item to be queryable, stops it. */
async function runOnce(dataDir: string): Promise<{ keyId: string }> {
  const app = await startEmbedded({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'warn',
    sampleData: false,
    defaultSources: false,
  });
  try {
    const base = app.url.replace('localhost', '127.0.0.1');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${app.apiKey.key}` };
    const ingest = await fetch(`${base}/api/v1/ingest/batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        source: 'layout',
        items: [
          { externalId: 'x1', title: 'Lunar probe lands near the south pole of the Moon', language: 'en' },
        ],
      }),
    });
    expect(ingest.status, await ingest.text()).to.be.lessThan(300);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stats = (await (await fetch(`${base}/api/v1/stats`, { headers })).json()) as { items: number };
      if (stats.items === 1) break;
      if (Date.now() > deadline) expect.fail(`the item did not become queryable: ${JSON.stringify(stats)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { keyId: app.apiKey.id };
  } finally {
    await app.stop();
  }
}

/** `trendmill keys list --json` on the data directory, as a user runs it once the pipeline is stopped. */
async function listedKeys(dataDir: string): Promise<Array<{ id: string }>> {
  const lines: string[] = [];
  const log = console.log;
  const saved = process.env.TRENDMILL_DATA;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  process.env.TRENDMILL_DATA = dataDir;
  try {
    expect(await keys.run(['list', '--json'])).to.equal(0);
  } finally {
    console.log = log;
    if (saved === undefined) delete process.env.TRENDMILL_DATA;
    else process.env.TRENDMILL_DATA = saved;
  }
  return JSON.parse(lines.at(-1)!) as Array<{ id: string }>;
}

/** Rows of one statement on the PGlite database at `dir` (the pipeline stopped). */
async function rowsIn(
  dir: string,
  sql: string,
  params: unknown[] = [],
): Promise<Array<Record<string, unknown>>> {
  const db = await openDatabase({ url: `pglite://${dir}`, schema: 'public' });
  try {
    return await db.sql.query(sql, params);
  } finally {
    await db.close();
  }
}

/** Which of the services' schemas the database at `dir` holds. */
async function schemasIn(dir: string): Promise<string[]> {
  const rows = await rowsIn(
    dir,
    `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name = ANY($1::text[]) ORDER BY 1`,
    [SERVICES],
  );
  return rows.map((r) => String(r.name));
}

describe('embedded data directory layout', function () {
  this.timeout(120_000);
  let parent: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'trendmill-layout-it-'));
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('keeps a new data directory in two PGlite databases, each schema in its own; `trendmill keys` finds the gateway', async () => {
    const dataDir = join(parent, 'data');
    const { keyId } = await runOnce(dataDir);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).to.equal(false);
    for (const [database, schemas] of [
      ['intake', ['collector', 'normalizer', 'embedder']],
      ['topics', ['clusterer', 'query', 'gateway']],
    ] as const)
      expect(await schemasIn(join(dataDir, 'pglite', database)), database).to.deep.equal([...schemas].sort());
    expect((await listedKeys(dataDir)).map((k) => k.id)).to.deep.equal([keyId]);
    // A restart finds the same databases: the same admin key, no second one.
    expect((await runOnce(dataDir)).keyId).to.equal(keyId);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).to.equal(false);
    // The item from before the restart is still there, and its second ingest added no row.
    const [items] = await rowsIn(
      join(dataDir, 'pglite', 'topics'),
      `SELECT count(*)::int AS n FROM query.items`,
    );
    expect(items).to.deep.equal({ n: 1 });
  });

  it('keeps a data directory made before the split in its one database', async () => {
    const dataDir = join(parent, 'data');
    // The earlier layout: one PGlite database at <data>/pglite holding every schema.
    const legacy = await openDatabase({ url: `pglite://${join(dataDir, 'pglite')}`, schema: 'gateway' });
    await legacy.close();
    const { keyId } = await runOnce(dataDir);
    for (const service of SERVICES)
      expect(existsSync(join(dataDir, 'pglite', service)), service).to.equal(false);
    const shared = await openDatabase({ url: `pglite://${join(dataDir, 'pglite')}`, schema: 'query' });
    try {
      const schemas = await shared.sql.query<{ name: string }>(
        `SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name = ANY($1::text[])`,
        [SERVICES],
      );
      expect(schemas.map((s) => s.name).sort()).to.deep.equal([...SERVICES].sort());
      const [items] = await shared.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM query.items`);
      expect(items!.n).to.equal(1);
    } finally {
      await shared.close();
    }
    expect((await listedKeys(dataDir)).map((k) => k.id)).to.deep.equal([keyId]);
  });
});
