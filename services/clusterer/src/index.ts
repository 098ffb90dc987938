// The pure engine and the algorithms under it.
export * from './domain/index.js';
export * from './algorithms/hdbscan/index.js';
export * from './algorithms/describe/index.js';
export * from './algorithms/trend/index.js';
