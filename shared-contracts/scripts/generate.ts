// Writes the generated contract documents: asyncapi.json and one JSON Schema per event.
// Run: npm run generate -w shared-contracts   (a test fails when these files are out of date)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocuments } from '../src/generated-documents.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const [file, content] of Object.entries(generatedDocuments())) {
  writeFileSync(join(root, file), content);
  console.log(`wrote shared-contracts/${file}`);
}
