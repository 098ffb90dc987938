import { expect } from 'chai';
import fc from 'fast-check';
import {
  ingestBatch,
  MAX_BATCH_ITEMS,
  readIngestItem,
  sourceLabel,
  toCandidate,
  type IngestItem,
  type ItemIssue,
} from './ingest-item.js';

function issueOf(value: unknown): ItemIssue {
  const read = readIngestItem(value);
  if (read.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return read.issue;
}

const paths = (value: unknown) => issueOf(value).details.map((d) => d.path);
const HASH_ID = /^sha256:[0-9a-f]{64}$/;

describe('readIngestItem', () => {
  it('accepts a full item and keeps its fields', () => {
    const item = {
      externalId: 'post-1',
      title: 'Rust 2.0 released',
      url: 'https://example.com/posts/1',
      content: '<p>Long text</p>',
      summary: 'Short text',
      author: 'Ferris',
      publishedAt: '2024-05-01T12:00:00Z',
      language: 'en',
      metadata: { score: 42, tag: 'release', pinned: false },
    };
    expect(readIngestItem(item)).to.deep.equal({ ok: true, item });
  });

  it('accepts an item with just one of title, content or summary', () => {
    for (const item of [{ title: 'T' }, { content: 'C' }, { summary: 'S' }, { title: '', summary: 'S' }]) {
      expect(readIngestItem(item).ok, JSON.stringify(item)).to.equal(true);
    }
  });

  it('ignores unknown fields and trims the externalId', () => {
    expect(readIngestItem({ title: 'T', externalId: '  id-7 ', votes: 3, nested: { a: 1 } })).to.deep.equal({
      ok: true,
      item: { title: 'T', externalId: 'id-7' },
    });
  });

  it('accepts publishedAt with a zone offset, refuses one without a zone or not a date-time', () => {
    expect(readIngestItem({ title: 'T', publishedAt: '2024-05-01T12:00:00+02:00' }).ok).to.equal(true);
    expect(readIngestItem({ title: 'T', publishedAt: '2024-05-01T12:00:00.123Z' }).ok).to.equal(true);
    for (const publishedAt of ['2024-05-01', '2024-05-01T12:00:00', 'yesterday', 1714564800000]) {
      expect(paths({ title: 'T', publishedAt }), String(publishedAt)).to.deep.equal(['publishedAt']);
    }
  });

  it('refuses an item without text, saying what it needs', () => {
    for (const value of [
      {},
      { title: '   ' },
      { title: '', content: '\n\t', summary: ' ' },
      { url: 'https://x.example/' },
    ]) {
      expect(issueOf(value), JSON.stringify(value)).to.deep.equal({
        code: 'invalid_item',
        message: '(item): an item needs a title, content or summary with text',
        details: [{ path: '(item)', message: 'an item needs a title, content or summary with text' }],
      });
    }
  });

  it('refuses what is not an object, at the item level', () => {
    for (const value of [null, undefined, 'title', 42, [], [{ title: 'T' }]]) {
      const issue = issueOf(value);
      expect(issue.code).to.equal('invalid_item');
      expect(
        issue.details.map((d) => d.path),
        String(value),
      ).to.deep.equal(['(item)']);
      expect(issue.message).to.match(/^\(item\): .*expected object/);
    }
  });

  it('names each field at fault', () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ title: 5 }, ['title']],
      [{ title: 'T', url: 'ftp://example.com/x' }, ['url']],
      [{ title: 'T', url: 'example.com/x' }, ['url']],
      [{ title: 'T', url: `https://example.com/${'a'.repeat(4000)}` }, ['url']],
      [{ title: 'T', externalId: '   ' }, ['externalId']],
      [{ title: 'T', externalId: 'x'.repeat(1001) }, ['externalId']],
      [{ title: 'x'.repeat(1001) }, ['title']],
      [{ content: 'x'.repeat(100_001) }, ['content']],
      [{ title: 'T', author: 'a'.repeat(501) }, ['author']],
      [{ title: 'T', language: 'l'.repeat(21) }, ['language']],
      [{ title: 'T', metadata: { tags: ['a', 'b'] } }, ['metadata.tags']],
      [{ title: 'T', metadata: { nested: { a: 1 } } }, ['metadata.nested']],
      [{ title: 'T', metadata: { note: 'n'.repeat(2001) } }, ['metadata.note']],
      [{ title: 'T', metadata: 'flat' }, ['metadata']],
      [{ title: 1, url: 'nope', author: 7 }, ['title', 'url', 'author']],
    ];
    for (const [value, expected] of cases) {
      expect(paths(value), Object.keys(value).join(',')).to.have.members(expected);
    }
  });

  it('joins the details into a message naming the fields', () => {
    const issue = issueOf({ title: 'T', url: 'ftp://x', author: 7 });
    expect(issue.details).to.deep.include({ path: 'url', message: 'expected an absolute http(s) URL' });
    expect(issue.message).to.include('url: expected an absolute http(s) URL');
    expect(issue.message).to.match(/author: /);
    expect(issue.message.split('; ')).to.have.length(issue.details.length);
  });

  it('never throws, and either returns the item or an issue with details, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              title: fc.oneof(fc.string(), fc.integer()),
              url: fc.oneof(fc.webUrl(), fc.string()),
              content: fc.string(),
              publishedAt: fc.oneof(
                fc.string(),
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              ),
              metadata: fc.dictionary(
                fc.string(),
                fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.object()),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        (value) => {
          const read = readIngestItem(value);
          if (read.ok) {
            const { title, content, summary } = read.item;
            expect([title, content, summary].some((t) => t !== undefined && t.trim() !== '')).to.equal(true);
          } else {
            expect(read.issue.code).to.equal('invalid_item');
            expect(read.issue.details).to.not.be.empty;
            expect(read.issue.message).to.equal(
              read.issue.details.map((d) => `${d.path}: ${d.message}`).join('; '),
            );
          }
        },
      ),
    );
  });
});

describe('toCandidate', () => {
  const item = (fields: IngestItem): IngestItem => fields;

  it('prefers the externalId, then the URL, then a hash of the text', () => {
    const full = { externalId: 'ext-1', url: 'https://example.com/a', title: 'T' };
    expect(toCandidate(item(full)).externalId).to.equal('ext-1');
    expect(toCandidate(item({ url: 'https://example.com/a', title: 'T' })).externalId).to.equal(
      'https://example.com/a',
    );
    expect(toCandidate(item({ title: 'T' })).externalId).to.match(HASH_ID);
  });

  it('hashes title, content and summary stably, so the same text is the same item', () => {
    const a = toCandidate(item({ title: 'Hello', content: 'World' }));
    const b = toCandidate(item({ title: 'Hello', content: 'World', author: 'someone else' }));
    expect(a.externalId).to.equal(b.externalId);
    // SHA-256 of ["Hello","World",""] (computed outside Node); pinned so stored ids survive refactors.
    expect(a.externalId).to.equal('sha256:58725c03966ae9d03ad6085ea69354704f39a6f059656600e65dcc053a3c56c3');
  });

  it('gives different text different ids, and does not confuse where the text sits', () => {
    const ids = [
      toCandidate(item({ title: 'ab' })).externalId,
      toCandidate(item({ title: 'a', content: 'b' })).externalId,
      toCandidate(item({ content: 'ab' })).externalId,
      toCandidate(item({ summary: 'ab' })).externalId,
      toCandidate(item({ title: 'ab', summary: ' ' })).externalId,
    ];
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('gives equal text triples equal ids and different triples different ids (property)', () => {
    const triple = fc.tuple(fc.string(), fc.string(), fc.string());
    fc.assert(
      fc.property(triple, triple, ([t1, c1, s1], [t2, c2, s2]) => {
        const one = toCandidate({ title: t1, content: c1, summary: s1 }).externalId;
        const again = toCandidate({ title: t1, content: c1, summary: s1 }).externalId;
        const two = toCandidate({ title: t2, content: c2, summary: s2 }).externalId;
        expect(one).to.match(HASH_ID);
        expect(again).to.equal(one);
        const same = t1 === t2 && c1 === c2 && s1 === s2;
        expect(one === two).to.equal(same);
      }),
    );
  });

  it('fills absent fields with null, trims the title, and carries metadata only when given', () => {
    expect(toCandidate(item({ externalId: 'e', content: 'body' }))).to.deep.equal({
      externalId: 'e',
      title: '',
      url: null,
      content: 'body',
      summary: null,
      author: null,
      publishedAt: null,
      language: null,
    });
    const full = toCandidate(
      item({
        externalId: 'e',
        title: '  Title  ',
        url: 'https://example.com/',
        summary: 'S',
        author: 'A',
        publishedAt: '2024-05-01T12:00:00Z',
        language: 'de',
        metadata: { n: 1 },
      }),
    );
    expect(full).to.deep.equal({
      externalId: 'e',
      title: 'Title',
      url: 'https://example.com/',
      content: null,
      summary: 'S',
      author: 'A',
      publishedAt: '2024-05-01T12:00:00Z',
      language: 'de',
      metadata: { n: 1 },
    });
  });
});

describe('sourceLabel', () => {
  it('accepts 1-100 letters, digits, ".", "_", ":" and "-" starting with a letter or digit', () => {
    for (const label of ['api', 'a', '9', 'rss.example.com', 'team_a:import-2024', 'A'.repeat(100)]) {
      expect(sourceLabel.safeParse(label).success, label).to.equal(true);
    }
  });

  it('refuses anything else with a message saying what is allowed', () => {
    for (const label of ['', '-api', '.hidden', '_x', 'two words', 'a/b', 'ünï', 'x'.repeat(101), 'a\nb']) {
      const parsed = sourceLabel.safeParse(label);
      expect(parsed.success, JSON.stringify(label)).to.equal(false);
      expect(parsed.error!.issues[0]!.message).to.equal(
        'expected 1-100 letters, digits, ".", "_", ":" or "-"',
      );
    }
    expect(sourceLabel.safeParse(42).success).to.equal(false);
  });
});

describe('ingestBatch', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `item ${i}` }));

  it(`takes 1 to ${MAX_BATCH_ITEMS} items, left unvalidated for readIngestItem to judge one by one`, () => {
    expect(MAX_BATCH_ITEMS).to.equal(1000);
    expect(ingestBatch.parse({ items: items(1) }).items).to.have.length(1);
    expect(ingestBatch.parse({ items: items(1000) }).items).to.have.length(1000);
    expect(ingestBatch.parse({ items: [42, null, 'x'] }).items).to.deep.equal([42, null, 'x']);
  });

  it('refuses an empty batch, an oversized one and items that are not an array, naming items', () => {
    for (const value of [{ items: [] }, { items: items(1001) }, { items: { title: 'T' } }, {}]) {
      const parsed = ingestBatch.safeParse(value);
      expect(parsed.success).to.equal(false);
      expect(parsed.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['items']);
    }
    expect(ingestBatch.safeParse({ items: [] }).error!.issues[0]!.message).to.match(/>=1/);
    expect(ingestBatch.safeParse({ items: items(1001) }).error!.issues[0]!.message).to.match(/<=1000/);
  });

  it('takes an optional source label and a sourceType of push or jsonl', () => {
    expect(ingestBatch.parse({ source: 'crawler-1', sourceType: 'jsonl', items: items(1) })).to.deep.include({
      source: 'crawler-1',
      sourceType: 'jsonl',
    });
    const badLabel = ingestBatch.safeParse({ source: 'bad label', items: items(1) });
    expect(badLabel.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['source']);
    const badType = ingestBatch.safeParse({ sourceType: 'feed', items: items(1) });
    expect(badType.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['sourceType']);
  });
});
