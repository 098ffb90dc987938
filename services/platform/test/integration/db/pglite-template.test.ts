import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { acquirePglite } from '../../../src/db/pglite-registry.js';
import { clusterTemplate } from '../../../src/db/pglite-template.js';
import { PgliteThread, type PgliteHandle } from '../../../src/db/pglite-thread.js';

/** initdb gives every cluster a new system identifier; a copy keeps its template's. */
async function systemIdentifier(db: PgliteHandle): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT system_identifier::text AS id FROM pg_control_system()',
  );
  return rows[0]!.id;
}

describe('fresh PGlite data directories made from the cluster template', function () {
  this.timeout(60_000);
  let parent: string;
  const saved = process.env.TRENDMILL_PGLITE_THREAD;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'trendmill-template-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TRENDMILL_PGLITE_THREAD;
    else process.env.TRENDMILL_PGLITE_THREAD = saved;
    rmSync(parent, { recursive: true, force: true });
  });

  for (const mode of ['on', 'off'] as const) {
    it(`PGlite ${mode === 'on' ? 'in its own thread' : 'in this thread'}: the next fresh directory is a copy of a just-initialised cluster; a used one opens as it is`, async () => {
      process.env.TRENDMILL_PGLITE_THREAD = mode;
      const first = await acquirePglite(join(parent, 'first'));
      expect(first.pglite instanceof PgliteThread).to.equal(mode === 'on');
      const firstId = await systemIdentifier(first.pglite);
      await first.pglite.exec('CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)');
      expect(clusterTemplate(), 'a template after a fresh directory').to.be.instanceOf(Uint8Array);

      const second = await acquirePglite(join(parent, 'second'));
      try {
        // A copy (same identifier) of the cluster as initdb left it: nothing the first one wrote since.
        expect(await systemIdentifier(second.pglite)).to.equal(firstId);
        const { rows } = await second.pglite.query<{ t: string | null }>(
          `SELECT to_regclass('kept')::text AS t`,
        );
        expect(rows[0]!.t).to.equal(null);
        await second.pglite.exec('CREATE TABLE own (v int)');
      } finally {
        await second.release();
        await first.release();
      }

      // Reopened, a directory keeps its own data; it is not made again.
      const again = await acquirePglite(join(parent, 'first'));
      try {
        expect(await systemIdentifier(again.pglite)).to.equal(firstId);
        const { rows } = await again.pglite.query<{ v: number }>('SELECT v FROM kept');
        expect(rows).to.deep.equal([{ v: 7 }]);
      } finally {
        await again.release();
      }
    });
  }
});
