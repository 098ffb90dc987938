export { DescribeError, type DescribeErrorCode } from './errors.js';
export { stopWordsFor } from './stop-words.js';
export { keywordTerms, isPhrase, DEFAULT_MIN_TERM_LENGTH, type KeywordTermOptions } from './keyword-terms.js';
export { TermCounts, type ReadonlyTermCounts, type TermCountsJson } from './term-counts.js';
export {
  CTfIdfIndex,
  cTfIdfWeights,
  profileSimilarity,
  DEFAULT_MIN_PHRASE_COUNT,
  type ClusterKeywordOptions,
  type CorpusStats,
  type KeywordProfile,
} from './c-tf-idf.js';
export {
  selectKeywords,
  DEFAULT_KEYWORD_COUNT,
  DEFAULT_PHRASE_STRENGTH,
  type KeywordOptions,
} from './keywords.js';
export {
  clusterLabel,
  titleCase,
  DEFAULT_LABEL_KEYWORDS,
  MAX_LABEL_LENGTH,
  LABEL_SEPARATOR,
  type LabelOptions,
} from './label.js';
export {
  meanVector,
  addToMean,
  removeFromMean,
  mergeMeans,
  normalize,
  centroid,
  cosineSimilarity,
} from './centroid.js';
export { representativeItems, type EmbeddedItem, type RepresentativeItem } from './representatives.js';
