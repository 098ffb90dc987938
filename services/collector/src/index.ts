export * from './feeds/index.js';
