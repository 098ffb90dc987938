export { normalizeItem, DERIVED_TITLE_CHARS, MAX_AUTHOR_CHARS } from './normalize-item.js';
export type {
  ItemCollectedLike,
  NormalizedFields,
  NormalizeResult,
  NormalizeFailure,
  PublishedAtAdjustment,
} from './item.js';
export { htmlToText, cleanTitle, truncateOnWord, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from './clean-text.js';
export {
  canonicalUrl,
  absoluteUrl,
  isTrackingParameter,
  TRACKING_PARAMETERS,
  TRACKING_PARAMETER_PREFIXES,
} from './canonical-url.js';
export {
  detectLanguage,
  iso639_1,
  UNDETERMINED,
  LANGUAGE_MIN_LETTERS,
  LANGUAGE_MIN_MARGIN,
} from './language.js';
export { sanePublishedAt, saneCollectedAt, FUTURE_SKEW_MS, EARLIEST_PUBLISHED_MS } from './published-at.js';
export { contentHash } from './content-hash.js';
export { simHash, hammingDistance, simHashSimilarity, isSimHash } from './simhash.js';
export { words, wordShingles } from './shingles.js';
export { minHashScheme, simHashScheme, weightedShingles } from './fingerprint-scheme.js';
export type {
  Fingerprint,
  FingerprintScheme,
  MinHashSchemeOptions,
  SimHashSchemeOptions,
} from './fingerprint-scheme.js';
export {
  NearDuplicateIndex,
  DEFAULT_NEAR_DUPLICATE_THRESHOLD,
  type NearDuplicate,
  type NearDuplicateIndexOptions,
} from './near-duplicate-index.js';
export {
  BAND_POSTINGS_CAP,
  InMemoryNearDuplicateStore,
  strongestCandidates,
} from './near-duplicate-store.js';
export type { Candidate, NearDuplicateStore, StoredFingerprint } from './near-duplicate-store.js';
export { BatchDedup } from './batch-dedup.js';
export type { DedupItem, DedupDecision, DedupMethod, StoredMatches } from './batch-dedup.js';
