import { expect } from 'chai';
import { isPhrase, keywordTerms } from './keyword-terms.js';
import { stopWordsFor } from './stop-words.js';

describe('keywordTerms', () => {
  it('keeps lower-cased content words and phrases of two adjacent ones, in reading order', () => {
    expect(keywordTerms('World Leaders pledge deep Emissions cuts')).to.deep.equal([
      'world',
      'leaders',
      'world leaders',
      'pledge',
      'leaders pledge',
      'deep',
      'pledge deep',
      'emissions',
      'deep emissions',
      'cuts',
      'emissions cuts',
    ]);
  });

  it('drops stop words, words under three letters and pure numbers, and they break phrases', () => {
    expect(keywordTerms('The summit in Paris: AI and 2024 budgets')).to.deep.equal([
      'summit',
      'paris',
      'budgets',
    ]);
    expect(keywordTerms('covid19 gpt4 5g')).to.deep.equal(['covid19', 'gpt4', 'covid19 gpt4']);
  });

  it('never joins words across punctuation or line breaks', () => {
    expect(keywordTerms('climate summit. Paris talks')).to.include.members(['climate summit', 'paris talks']);
    expect(keywordTerms('climate summit. Paris talks')).not.to.include('summit paris');
    expect(keywordTerms('Climate summit\nParis talks')).not.to.include('summit paris');
    expect(keywordTerms('rate hike — markets fall')).not.to.include('hike markets');
  });

  it('joins hyphenated words into a phrase', () => {
    expect(keywordTerms('climate-related disclosures')).to.include.members([
      'climate related',
      'related disclosures',
    ]);
  });

  it('drops possessives, French elision and URLs so they neither leak nor break phrases', () => {
    expect(keywordTerms('Biden’s climate plan')).to.deep.equal([
      'biden',
      'climate',
      'biden climate',
      'plan',
      'climate plan',
    ]);
    expect(keywordTerms("l'accord d'énergie", { language: 'fr' })).to.deep.equal([
      'accord',
      'énergie',
      'accord énergie',
    ]);
    expect(keywordTerms('Details at https://example.com/climate?utm_source=x today')).to.deep.equal([
      'details',
    ]);
  });

  it('keeps letters of any script and folds compatibility characters', () => {
    expect(keywordTerms('Zürich café ﬁnance')).to.deep.equal([
      'zürich',
      'café',
      'zürich café',
      'finance',
      'café finance',
    ]);
    expect(keywordTerms('Выборы в Москве')).to.deep.equal(['выборы', 'москве']);
  });

  it('uses the stop words of the text language, and no foreign homographs when it is unknown', () => {
    expect(keywordTerms('Der Krieg war lang', { language: 'de' })).to.deep.equal(['krieg', 'lang']);
    expect(keywordTerms('Der Krieg war lang', { language: 'de-AT' })).to.deep.equal(['krieg', 'lang']);
    expect(keywordTerms('the war in Ukraine')).to.deep.equal(['war', 'ukraine']);
    expect(keywordTerms('the war in Ukraine', { language: 'und' })).to.deep.equal(['war', 'ukraine']);
    expect(keywordTerms('une voiture pour la ville', { language: 'fr' })).to.deep.equal(['voiture', 'ville']);
    expect(stopWordsFor('es').has('para')).to.equal(true);
    expect(stopWordsFor('und').has('para')).to.equal(true);
    expect(stopWordsFor('und').has('car')).to.equal(false);
    expect(stopWordsFor('fr').has('car')).to.equal(true);
  });

  it('splits Han and Kana runs into character pairs, which never form phrases', () => {
    expect(keywordTerms('気候変動 summit')).to.deep.equal(['気候', '候変', '変動', 'summit']);
  });

  it('can leave phrases out and take a different minimum length', () => {
    expect(keywordTerms('climate summit opens', { bigrams: false })).to.deep.equal([
      'climate',
      'summit',
      'opens',
    ]);
    expect(keywordTerms('AI chips', { minLength: 2 })).to.deep.equal(['ai', 'chips', 'ai chips']);
  });

  it('tells phrases from words', () => {
    expect(isPhrase('climate summit')).to.equal(true);
    expect(isPhrase('climate')).to.equal(false);
    expect(isPhrase('気候')).to.equal(false);
  });
});
