import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteThread } from '../../services/platform/src/index.js';
import { readProfile, startSqlProfile, statementText, windowTable, type ProfileLine } from './sql-profile.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A frontend message: type byte, int32 length (not checked by the parser), body. */
function message(type: string, body: string): Uint8Array {
  const content = bytes(body);
  const out = new Uint8Array(5 + content.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + content.length);
  out.set(content, 5);
  return out;
}

describe('bench SQL profile', () => {
  describe('statementText', () => {
    it('reads the query of a Parse message after its statement name, folding whitespace and parameter lists', () => {
      const text = statementText(message('P', 'stmt_1\0SELECT a\n   FROM t WHERE x IN ($1, $2,$3)\0\0\0'));
      expect(text).to.equal('SELECT a FROM t WHERE x IN ($n)');
    });

    it('reads the query of a simple Query message', () => {
      expect(statementText(message('Q', 'VACUUM (ANALYZE) s.t\0'))).to.equal('VACUUM (ANALYZE) s.t');
    });

    it('names no statement for Bind, Execute or Sync, and none for a truncated message', () => {
      expect(statementText(message('B', '\0\0'))).to.equal(undefined);
      expect(statementText(message('E', '\0'))).to.equal(undefined);
      expect(statementText(message('S', ''))).to.equal(undefined);
      expect(statementText(message('P', 'name-without-end'))).to.equal(undefined);
    });

    it('keeps long statements to a bounded prefix', () => {
      const text = statementText(message('Q', `SELECT ${'x, '.repeat(500)}1\0`))!;
      expect(text.length).to.be.at.most(160);
      expect(text.startsWith('SELECT x, x,')).to.equal(true);
    });
  });

  describe('startSqlProfile on a real PGlite', function () {
    this.timeout(60_000);
    let dir: string;
    let db: PGlite | undefined;
    let thread: PgliteThread | undefined;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'trendmill-sql-profile-'));
    });
    afterEach(async () => {
      await db?.close();
      await thread?.close();
      db = thread = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    it('in the main thread: charges every exchange to its statement, and restores PGlite when stopped', async () => {
      const original = (PGlite.prototype as unknown as Record<string, unknown>).execProtocolRawSync;
      db = await PGlite.create();
      const file = join(dir, 'profile.jsonl');
      const profile = startSqlProfile(file, 3_600_000, 'main');
      await db.query('CREATE TABLE t (id int PRIMARY KEY)');
      for (let i = 0; i < 5; i++) await db.query('INSERT INTO t (id) VALUES ($1)', [i]);
      await db.query('SELECT count(*) FROM t');
      const returned = profile.stop();
      expect((PGlite.prototype as unknown as Record<string, unknown>).execProtocolRawSync).to.equal(original);

      const lines = readProfile(file);
      expect(lines).to.have.length(1);
      expect(returned, 'stop() returns the snapshots written').to.deep.equal(lines);
      const statements = lines[0]!.statements;
      const insert = statements['INSERT INTO t (id) VALUES ($n)'];
      expect(insert, JSON.stringify(Object.keys(statements))).to.not.equal(undefined);
      // Each extended-protocol query is at least one exchange; five inserts, five or more calls.
      expect(insert![1]).to.be.at.least(5);
      expect(statements['SELECT count(*) FROM t']).to.not.equal(undefined);

      // Stopped: later statements are not counted.
      await db.query('SELECT 42');
      expect(readProfile(file)[0]!.statements['SELECT 42']).to.equal(undefined);
    });

    it('in its own thread: charges each request to its statement (BEGIN and COMMIT for a transaction), and stops counting when stopped', async () => {
      thread = await PgliteThread.create(undefined);
      const file = join(dir, 'profile.jsonl');
      const profile = startSqlProfile(file, 3_600_000, 'thread');
      await thread.query('CREATE TABLE t (id int PRIMARY KEY)');
      for (let i = 0; i < 5; i++) await thread.query('INSERT INTO t (id)\n   VALUES ($1)', [i]);
      await thread.transaction(async (tx) => {
        await tx.query('SELECT count(*) FROM t');
      });
      profile.stop();
      await thread.query('SELECT 42');

      const statements = readProfile(file)[0]!.statements;
      expect(statements['INSERT INTO t (id) VALUES ($n)']?.[1]).to.equal(5);
      expect(statements['SELECT count(*) FROM t']?.[1]).to.equal(1);
      expect(statements.BEGIN?.[1]).to.equal(1);
      expect(statements.COMMIT?.[1]).to.equal(1);
      expect(statements['SELECT 42']).to.equal(undefined);
    });
  });

  describe('windowTable', () => {
    const line = (t: number, statements: ProfileLine['statements']): ProfileLine => ({ t, statements });

    it('shows per-window cost per minute and per call, the costliest in the last window first', () => {
      const lines = [
        line(0, {}),
        line(60, { 'SELECT grows': [600, 100], 'INSERT flat': [1200, 100] }),
        line(120, { 'SELECT grows': [2600, 200], 'INSERT flat': [2400, 200] }),
      ];
      const table = windowTable(lines, 10, 2).split('\n');
      expect(table[0]).to.equal('windows: 0-60s, 60-120s');
      expect(table[1]).to.equal('total ms/min: 1800, 3200');
      // SELECT: 600 then 2000 ms per minute, 6 then 20 ms per call; INSERT flat at 1200 / 12.
      expect(table[3]).to.match(/^\s+600\s+2000 \|\s+6\.00\s+20\.00 \| SELECT grows$/);
      expect(table[4]).to.match(/^\s+1200\s+1200 \|\s+12\.00\s+12\.00 \| INSERT flat$/);
    });

    it('says so when there is no window', () => {
      expect(windowTable([line(0, {})])).to.match(/fewer than two snapshots/);
    });
  });
});
