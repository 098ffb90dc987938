// REST request and response contracts of the query API (served by the gateway under /api/v1).
export * from './common.js';
export * from './items.js';
export * from './clusters.js';
export * from './search.js';
export * from './trends.js';
export * from './stats.js';
export * from './subscriptions.js';
