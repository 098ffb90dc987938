export {
  LOCAL_MODEL,
  LocalEmbeddingProvider,
  createLocalProvider,
  type LocalProviderOptions,
} from './local-provider.js';
export { WordVectorsUnavailableError, loadWordVectors, type WordVectors } from './word-vectors.js';
export { tokenize } from './tokenize.js';
