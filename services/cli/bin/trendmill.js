#!/usr/bin/env node
// Runs the CLI straight from TypeScript sources (no build step needed after `npm ci`):
// tsx compiles on the fly and the `source` export condition points workspace packages at src/.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./source-condition.js', import.meta.url);
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
