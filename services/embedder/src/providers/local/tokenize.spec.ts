import { expect } from 'chai';
import { MAX_TOKENS, splitCompound, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, keeps inner hyphens and splits on everything else', () => {
    expect(tokenize('E-Commerce sites: (Amazon, eBay) & 3 others!')).to.deep.equal([
      'e-commerce',
      'sites',
      'amazon',
      'ebay',
      '3',
      'others',
    ]);
  });

  it('is Unicode-aware and folds compatibility forms', () => {
    expect(tokenize('Ｆｕｌｌ－width Café Zürich Москва 東京')).to.deep.equal([
      'full-width',
      'café',
      'zürich',
      'москва',
      '東京',
    ]);
  });

  it('expands English contractions into words the vocabulary has', () => {
    expect(tokenize("Why doesn't Scala’s compiler work? I can't, it won't")).to.deep.equal([
      'why',
      'does',
      'not',
      'scala',
      'compiler',
      'work',
      'i',
      'can',
      'not',
      'it',
      'will',
      'not',
    ]);
    expect(tokenize("o'neill")).to.deep.equal(["o'neill"]);
  });

  it('falls back to whitespace chunks for texts without words, and reads at most MAX_TOKENS', () => {
    expect(tokenize('🎉🎉 ++')).to.deep.equal(['🎉🎉', '++']);
    expect(tokenize('  \n\t ')).to.deep.equal([]);
    expect(tokenize('word '.repeat(MAX_TOKENS + 50))).to.have.length(MAX_TOKENS);
  });

  it('splits compounds into their parts', () => {
    expect(splitCompound('e-commerce')).to.deep.equal(['e', 'commerce']);
    expect(splitCompound("o'neill")).to.deep.equal(['o', 'neill']);
    expect(splitCompound('plain')).to.deep.equal(['plain']);
  });
});
