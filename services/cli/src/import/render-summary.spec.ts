import { expect } from 'chai';
import { ImportTally, LINES_PER_REASON } from './import-tally.js';
import { renderSummary } from './render-summary.js';

describe('ImportTally and renderSummary', () => {
  it('groups rejections by reason, most frequent first, keeping the first lines and first message', () => {
    const tally = new ImportTally();
    tally.accept();
    tally.duplicate();
    tally.reject(3, 'invalid_json', 'Unexpected token');
    for (let line = 10; line < 30; line++) tally.reject(line, 'invalid_item', `url: bad ${line}`);
    const counts = tally.snapshot();
    expect(counts).to.include({ accepted: 1, duplicates: 1, rejected: 21 });
    expect(Object.keys(counts.reasons)).to.deep.equal(['invalid_item', 'invalid_json']);
    expect(counts.reasons.invalid_item).to.deep.equal({
      count: 20,
      lines: Array.from({ length: LINES_PER_REASON }, (_, i) => 10 + i),
      message: 'url: bad 10',
    });
    expect(tally.settled).to.equal(23);
  });

  it('keeps a reason code named like an Object.prototype key as plain data', () => {
    const tally = new ImportTally();
    tally.reject(1, '__proto__', 'odd');
    tally.reject(2, 'toString', 'odd too');
    const reasons = tally.snapshot().reasons;
    expect(Object.getOwnPropertyNames(reasons).sort()).to.deep.equal(['__proto__', 'toString']);
    expect(({} as Record<string, unknown>).count).to.equal(undefined);
  });

  it('renders totals and, per reason, count, first line numbers and a sample message', () => {
    const tally = new ImportTally();
    for (let i = 0; i < 7; i++) tally.accept();
    for (const line of [2, 4, 6, 8, 10, 12, 14])
      tally.reject(line, 'invalid_item', 'url: expected an absolute http(s) URL');
    const text = renderSummary({
      file: 'posts.jsonl',
      source: 'posts.jsonl',
      sourceId: 'src-1',
      lines: 15,
      fromLine: 1,
      seconds: 1.234,
      ...tally.snapshot(),
    });
    expect(text.split('\n')).to.deep.equal([
      'Imported posts.jsonl into source "posts.jsonl" (src-1) in 1.2 s',
      '  lines read  15',
      '  accepted     7',
      '  duplicates   0',
      '  rejected     7',
      'Rejected lines by reason:',
      '  invalid_item  7  lines 2, 4, 6, 8, 10, … (2 more)',
      '                   e.g. url: expected an absolute http(s) URL',
    ]);
  });
});
