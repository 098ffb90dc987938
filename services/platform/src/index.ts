// The public entry point of @trendmill/platform: services import only from here.
export * from './broker/index.js';
export * from './runtime/index.js';
export * from './middleware/index.js';
export * from './db/index.js';
export * from './http/index.js';
