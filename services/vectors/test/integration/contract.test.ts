import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedVectorStore, openQdrantVectorStore } from '../../src/index.js';
import { vectorStoreContract } from '../contract.js';

/** Every store this machine can run passes the same contract; Qdrant when QDRANT_URL points at one. */
const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-vectors-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

vectorStoreContract('the embedded store (exact below 2,000 points)', async () =>
  openEmbeddedVectorStore({ dir: await freshDir() }),
);

vectorStoreContract('the embedded store forced to HNSW at every size', async () =>
  openEmbeddedVectorStore({ dir: await freshDir(), exactThreshold: 0, filteredExactThreshold: 0 }),
);

const qdrantUrl = process.env.QDRANT_URL;
vectorStoreContract(
  'Qdrant',
  async () =>
    openQdrantVectorStore({
      url: qdrantUrl ?? 'http://qdrant.invalid:6333',
      ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}),
      prefix: 'trendmill_contract_',
      indexedFields: { lang: 'keyword', n: 'integer', even: 'bool' },
    }),
  qdrantUrl ? {} : { skipReason: 'QDRANT_URL not set' },
);
