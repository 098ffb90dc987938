import { expect } from 'chai';
import { readLines, type RawLine } from './line-reader.js';

/** Feeds the chunks through the reader and returns each line as text (null when too long). */
async function lines(chunks: Array<string | Buffer>, maxLineBytes = 1000) {
  const out: Array<{ number: number; text: string | null; end: number }> = [];
  async function* source() {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  }
  for await (const l of readLines(source(), { maxLineBytes }) as AsyncGenerator<RawLine>)
    out.push({ number: l.number, text: l.bytes === undefined ? null : l.bytes.toString('utf8'), end: l.end });
  return out;
}

describe('readLines', () => {
  it('splits on LF and CRLF, numbers every line including blank ones, and tracks byte offsets', async () => {
    expect(await lines(['a\r\n\nbb\n', 'c'])).to.deep.equal([
      { number: 1, text: 'a', end: 3 },
      { number: 2, text: '', end: 4 },
      { number: 3, text: 'bb', end: 7 },
      { number: 4, text: 'c', end: 8 },
    ]);
  });

  it('joins a line split across chunks, including a multi-byte character cut in half', async () => {
    const euro = Buffer.from('€'); // three bytes
    const result = await lines([
      Buffer.concat([Buffer.from('{"t":"'), euro.subarray(0, 1)]),
      Buffer.concat([euro.subarray(1), Buffer.from('"}\n')]),
    ]);
    expect(result).to.deep.equal([{ number: 1, text: '{"t":"€"}', end: 12 }]);
  });

  it('yields nothing for an empty file and no extra line after a final newline', async () => {
    expect(await lines([])).to.deep.equal([]);
    expect(await lines(['x\n'])).to.have.length(1);
  });

  it('drops a UTF-8 byte order mark on the first line only', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const result = await lines([Buffer.concat([bom, Buffer.from('{}\n'), bom, Buffer.from('{}')])]);
    expect(result.map((l) => l.text)).to.deep.equal(['{}', '\ufeff{}']);
  });

  it('reports a line over the limit without its bytes, and goes on with the next one', async () => {
    const long = 'x'.repeat(25);
    const result = await lines([`ok\n${long.slice(0, 10)}`, `${long.slice(10)}\nnext\n`, long], 20);
    expect(result).to.deep.equal([
      { number: 1, text: 'ok', end: 3 },
      { number: 2, text: null, end: 29 },
      { number: 3, text: 'next', end: 34 },
      { number: 4, text: null, end: 59 },
    ]);
  });

  it('allows a line of exactly the limit, with or without a CR before its LF', async () => {
    const exact = 'y'.repeat(20);
    const result = await lines([`${exact}\r\n${exact}\n${exact}y\r\n`], 20);
    expect(result.map((l) => l.text)).to.deep.equal([exact, exact, null]);
  });
});
