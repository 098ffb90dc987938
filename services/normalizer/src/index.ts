// Public entry point of the normalizer: the service factory and its pure domain code.
export * from './domain/index.js';
export { createNormalizerService, NORMALIZER_MIGRATIONS_DIR } from './service.js';
export { bandKeySql } from './store/fingerprint-store.js';
export type { NormalizerPorts, NormalizerService, NormalizerSettings } from './service.js';
export { normalizerConfig, type NormalizerConfig } from './config.js';
