import { expect } from 'chai';
import type { PrismaRawClient, SqlClient } from './sql-client.js';
import { assertSchemaName, isPrismaRawClient, qualified, queryRows } from './sql-client.js';

describe('schema names', () => {
  it('accepts plain lower-case identifiers', () => {
    for (const name of ['collector', 'query_v2', '_trendmill_migrations', 'a'.repeat(63)]) {
      expect(assertSchemaName(name)).to.equal(name);
    }
  });

  it('rejects anything that would need quoting or could inject SQL', () => {
    for (const name of ['', 'Collector', '2fast', 'a-b', 'x"; DROP SCHEMA public; --', 'a'.repeat(64), 'ü']) {
      expect(() => assertSchemaName(name), name).to.throw(/invalid schema name/);
    }
  });

  it('qualifies a table with its schema', () => {
    expect(qualified('collector', 'outbox_events')).to.equal('"collector"."outbox_events"');
    expect(() => qualified('collector', 'x; --')).to.throw(/invalid/);
  });
});

describe('queryRows', () => {
  it('runs on a SqlClient with the parameter array', async () => {
    const calls: unknown[] = [];
    const client = {
      dialect: 'postgres',
      query: async (sql: string, params?: readonly unknown[]) => {
        calls.push([sql, params]);
        return [{ one: 1 }];
      },
    } as unknown as SqlClient;
    expect(isPrismaRawClient(client)).to.equal(false);
    expect(await queryRows(client, 'SELECT $1', [1])).to.deep.equal([{ one: 1 }]);
    expect(calls).to.deep.equal([['SELECT $1', [1]]]);
  });

  it('runs on a Prisma client with spread parameters', async () => {
    const calls: unknown[] = [];
    const prisma: PrismaRawClient = {
      $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => {
        calls.push([sql, values]);
        return [{ two: 2 }] as T;
      },
      $executeRawUnsafe: async () => 0,
    };
    expect(isPrismaRawClient(prisma)).to.equal(true);
    expect(await queryRows(prisma, 'SELECT $1, $2', ['a', null])).to.deep.equal([{ two: 2 }]);
    expect(calls).to.deep.equal([['SELECT $1, $2', ['a', null]]]);
  });
});
