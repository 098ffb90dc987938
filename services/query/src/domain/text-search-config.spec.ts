import { expect } from 'chai';
import { queryConfigs, textSearchConfig } from './text-search-config.js';

describe('text-search configuration by language', () => {
  it('stems the languages Postgres has a stemmer for and leaves the rest unstemmed', () => {
    expect(textSearchConfig('en')).to.equal('english');
    expect(textSearchConfig('pt-BR')).to.equal('portuguese');
    expect(textSearchConfig('DE')).to.equal('german');
    expect(textSearchConfig('ja')).to.equal('simple');
    expect(textSearchConfig('und')).to.equal('simple');
  });

  it('parses a query unstemmed plus in its language (English when none is named)', () => {
    expect(queryConfigs(undefined)).to.deep.equal(['simple', 'english']);
    expect(queryConfigs('fr')).to.deep.equal(['simple', 'french']);
    expect(queryConfigs('zh')).to.deep.equal(['simple']);
  });
});
