// The PGlite thread's entry when the platform runs from its TypeScript sources (a checkout run
// with tsx): loaders registered at run time on the main thread do not reach worker threads, so
// this thread registers tsx itself before loading the worker. Built code loads pglite-thread-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread-worker.ts');
