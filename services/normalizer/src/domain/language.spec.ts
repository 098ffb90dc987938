import { expect } from 'chai';
import { detectLanguage, iso639_1 } from './language.js';

describe('detectLanguage', () => {
  it('detects the language of ordinary sentences as ISO 639-1', () => {
    expect(
      detectLanguage(
        'The Federal Reserve held interest rates steady on Wednesday, citing persistent inflation.',
      ),
    ).to.equal('en');
    expect(detectLanguage('Le gouvernement a présenté mardi une nouvelle réforme des retraites.')).to.equal(
      'fr',
    );
    expect(detectLanguage('Der schnelle braune Fuchs springt über den faulen Hund.')).to.equal('de');
    expect(detectLanguage('東京は日本の首都です。人口が多い')).to.equal('ja');
  });

  it("says 'und' when the text is too short", () => {
    expect(detectLanguage('hello')).to.equal('und');
    expect(detectLanguage('Rust 1.80')).to.equal('und');
    expect(detectLanguage('')).to.equal('und');
  });

  it("uses the source's tag when the text is too short to tell", () => {
    expect(detectLanguage('hello', 'en-US')).to.equal('en');
  });

  it("prefers the source's tag when the detector ranks it among its top guesses", () => {
    expect(detectLanguage('O governo anunciou novas medidas para a economia', 'pt-BR')).to.equal('pt');
  });

  it("ignores symbols that mislead the detector (regression: 'Title | Site' came out Hindi)", () => {
    expect(detectLanguage('Apple releases new iPhone with a faster chip | TechCrunch')).to.equal('en');
  });
});

describe('iso639_1', () => {
  it('keeps the primary two-letter subtag', () => {
    expect(iso639_1('en-US')).to.equal('en');
    expect(iso639_1('PT_br')).to.equal('pt');
    expect(iso639_1('eng')).to.equal(undefined);
    expect(iso639_1('')).to.equal(undefined);
    expect(iso639_1(null)).to.equal(undefined);
  });
});
