import { expect } from 'chai';
import { decodeModelName, encodeModelName, modelFolderName } from './model-names.js';

describe('model names', () => {
  const names = [
    'all-MiniLM-L6-v2',
    'sentence-transformers/all-MiniLM-L6-v2',
    '..',
    '.',
    '../../etc/passwd',
    'a\\b',
    'a_b',
    'a_2fb',
    'Ünïcode 模型',
    ' spaced ',
  ];

  it('encodes reversibly, keeping letters, digits and -', () => {
    expect(encodeModelName('sentence-transformers/all-MiniLM-L6-v2')).to.equal(
      'sentence-transformers_2fall-MiniLM-L6-v2',
    );
    for (const name of names) expect(decodeModelName(encodeModelName(name))).to.equal(name);
    expect(new Set(names.map(encodeModelName)).size).to.equal(names.length);
  });

  it('never produces a path separator, a dot or an empty name', () => {
    for (const name of names) expect(encodeModelName(name)).to.match(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects strings that are not encodings', () => {
    for (const bad of ['a/b', 'a_2', 'a_zz', 'a_41' /* "A" must be written as itself */, 'a_ff', '..']) {
      expect(decodeModelName(bad), bad).to.equal(undefined);
    }
  });

  it('shortens long folder names with a hash of the full name, distinct from any short encoding', () => {
    const long = 'x/'.repeat(100);
    const other = `${'x/'.repeat(99)}y/`;
    const folder = modelFolderName(long);
    expect(folder.length).to.be.at.most(120);
    expect(folder).to.match(/^[A-Za-z0-9_-]+$/);
    expect(folder).to.include('_h');
    expect(modelFolderName(other)).not.to.equal(folder);
    expect(modelFolderName('short/name')).to.equal(encodeModelName('short/name'));
    expect(decodeModelName(folder)).to.equal(undefined);
  });
});
