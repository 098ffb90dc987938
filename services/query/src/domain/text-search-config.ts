/**
 * Postgres text-search configuration per item language. Stemming matches "running" to "runs"
 * within a language, but a stemmer applied to another language's text mangles it, so each item
 * is indexed with its own language's stemmer ('simple' — lower-cased words, no stemming — where
 * Postgres has none). A query names its language through the `language` filter; without one it
 * is matched both unstemmed ('simple') and with the English stemmer, the language most items
 * of a typical deployment are in.
 */
const CONFIGS: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  nl: 'dutch',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** The configuration for a language code such as `en`, `pt-BR` or `und`. */
export function textSearchConfig(language: string): string {
  const primary = language.toLowerCase().split(/[-_]/)[0] ?? '';
  return CONFIGS[primary] ?? 'simple';
}

/** Configurations a query is parsed with (results match if any of them matches). */
export function queryConfigs(language: string | undefined): string[] {
  if (language) {
    const config = textSearchConfig(language);
    return config === 'simple' ? ['simple'] : ['simple', config];
  }
  return ['simple', 'english'];
}
