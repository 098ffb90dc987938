import { expect } from 'chai';
import { SqlWhere, whereItems } from './sql-where.js';

describe('SqlWhere', () => {
  it('is empty without conditions', () => {
    const where = new SqlWhere();
    expect(where.sql).to.equal('');
    expect(where.params).to.deep.equal([]);
  });

  it('binds every filter value as a numbered parameter, never as SQL text', () => {
    const hostile = "x'); DROP TABLE items; --";
    const where = whereItems(new SqlWhere(), {
      cluster: hostile,
      source: 's1',
      language: 'EN',
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00Z',
    });
    expect(where.sql).to.not.include(hostile);
    expect(where.sql).to.equal(
      'WHERE (i.cluster_id = $1) AND (i.source_id = $2) AND (i.language = $3) AND ' +
        '(i.published_at >= $4::timestamptz) AND (i.published_at < $5::timestamptz)',
    );
    expect(where.params).to.deep.equal([hostile, 's1', 'en', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']);
  });

  it('continues numbering after parameters bound earlier', () => {
    const where = whereItems(new SqlWhere(['query text']), { source: 's9' }, 'x');
    expect(where.sql).to.equal('WHERE (x.source_id = $2)');
    expect(where.params).to.deep.equal(['query text', 's9']);
  });

  it('leaves out filters that are not set', () => {
    expect(whereItems(new SqlWhere(), { language: 'de' }).sql).to.equal('WHERE (i.language = $1)');
  });
});
