import { expect } from 'chai';
import { classifyLine } from './classify-line.js';

const classify = (text: string) => classifyLine(Buffer.from(text), 1000);

describe('classifyLine', () => {
  it('keeps a JSON object line as it is, to be sent unchanged', () => {
    expect(classify('  {"title": "Hi"} ')).to.deep.equal({
      kind: 'item',
      json: '{"title": "Hi"}',
      bytes: 18,
    });
  });

  it('skips blank and whitespace-only lines', () => {
    expect(classify('')).to.deep.equal({ kind: 'blank' });
    expect(classify(' \t ')).to.deep.equal({ kind: 'blank' });
  });

  it('rejects a line that is not JSON with the parser message', () => {
    const result = classify('{ not json');
    expect(result).to.include({ kind: 'rejected', code: 'invalid_json' });
    expect((result as { message: string }).message).to.match(/JSON/);
  });

  it('rejects JSON that is not an object as invalid_item, naming what it was', () => {
    expect(classify('[1,2]')).to.deep.include({
      code: 'invalid_item',
      message: 'expected a JSON object, got an array',
    });
    expect(classify('null')).to.deep.include({ message: 'expected a JSON object, got null' });
    expect(classify('"text"')).to.deep.include({ message: 'expected a JSON object, got a string' });
    expect(classify('42')).to.deep.include({ message: 'expected a JSON object, got a number' });
  });

  it('rejects bytes that are not UTF-8, and a line the reader found too long', () => {
    expect(classifyLine(Buffer.from([0x7b, 0xff, 0x7d]), 1000)).to.deep.include({ code: 'invalid_encoding' });
    expect(classifyLine(undefined, 1000)).to.deep.equal({
      kind: 'rejected',
      code: 'line_too_long',
      message: 'line is longer than 1000 bytes',
    });
  });

  it('clips a long parser message', () => {
    const result = classify(`{"a": "${'x'.repeat(500)}`) as { message: string };
    expect(result.message.length).to.be.at.most(200);
  });
});
