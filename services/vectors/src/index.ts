// The public entry point of @trendmill/vectors: the port, its two adapters and their errors.
export * from './port.js';
export { VectorStoreError, VectorDimensionError, type VectorStoreErrorCode } from './errors.js';
export { matchesFilter } from './filter.js';
export { encodeModelName, decodeModelName } from './model-names.js';
export { EmbeddedVectorStore, openEmbeddedVectorStore } from './embedded/store.js';
export { DEFAULT_HNSW, type EmbeddedStoreOptions } from './embedded/options.js';
export { QdrantVectorStore, openQdrantVectorStore } from './qdrant/store.js';
export type { QdrantStoreOptions, QdrantApi } from './qdrant/options.js';
