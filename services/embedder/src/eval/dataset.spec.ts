import { expect } from 'chai';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, datasetName, parseLabelledTexts, readLabelledTexts } from './dataset.js';

async function rejection(promise: Promise<unknown>): Promise<DatasetError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(DatasetError);
    return err as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

function thrown(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(DatasetError);
    return err as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('labelled data sets (JSON lines)', () => {
  it('reads rows, skips blank lines, keeps numeric ids and labels as strings, honours the limit', () => {
    const content =
      '{"id":"a","text":"one","label":"1"}\n\n{"id":2,"text":"two","label":3}\n{"id":"c","text":"x","label":"1"}\n';
    expect(parseLabelledTexts(content)).to.deep.equal([
      { id: 'a', text: 'one', label: '1' },
      { id: '2', text: 'two', label: '3' },
      { id: 'c', text: 'x', label: '1' },
    ]);
    expect(parseLabelledTexts(content, { limit: 2 })).to.have.length(2);
  });

  it('names the line of a row that is not JSON or lacks a field', () => {
    const notJson = thrown(() => parseLabelledTexts('{"id":"a","text":"t","label":"1"}\n{oops\n'));
    expect(notJson.code).to.equal('bad-line');
    expect(notJson.line).to.equal(2);
    expect(notJson.message).to.match(/^line 2: not valid JSON/);

    const noLabel = thrown(() => parseLabelledTexts('\n\n{"id":"a","text":"t"}'));
    expect(noLabel.line).to.equal(3);
    expect(noLabel.message).to.match(/line 3: "label"/);

    expect(thrown(() => parseLabelledTexts('{"id":"a","text":5,"label":"1"}')).message).to.match(/"text"/);
    expect(thrown(() => parseLabelledTexts('[1,2]')).code).to.equal('bad-line');
  });

  it('refuses an empty data set and reports a missing file by its path', async () => {
    expect(thrown(() => parseLabelledTexts('\n  \n')).code).to.equal('empty');
    const dir = await mkdtemp(join(tmpdir(), 'tm-eval-'));
    const missing = await rejection(readLabelledTexts(join(dir, 'nope.jsonl')));
    expect(missing.code).to.equal('not-found');
    expect(missing.message).to.include('nope.jsonl');
    const file = join(dir, 'set.jsonl');
    await writeFile(file, '{"id":"a","text":"t","label":"x"}\n');
    expect(await readLabelledTexts(file)).to.have.length(1);
    expect((await rejection(readLabelledTexts(dir))).code).to.equal('unreadable');
  });

  it('names a data set by its folder or its file', () => {
    expect(datasetName('/data/tweet/items.jsonl')).to.equal('tweet');
    expect(datasetName('fixtures/stackoverflow-sample.jsonl')).to.equal('stackoverflow-sample');
  });
});
