import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createPrismaClient, type Database } from '@trendmill/platform';
import { PrismaClient } from '../store/prisma.js';
import { ApiKeyStore } from './api-key-store.js';

export const LOCAL_KEY_FILE = 'gateway-admin.key';

/**
 * The key the embedded launcher prints: created once (stored hashed like any other), its
 * plaintext kept in `<dataDir>/gateway-admin.key` with mode 0600 so a restart prints the same key.
 * A file whose key was revoked or whose database was wiped is replaced by a fresh key.
 */
export async function ensureLocalKey(
  keys: ApiKeyStore,
  dataDir: string,
): Promise<{ key: string; id: string; created: boolean; file: string }> {
  const file = join(dataDir, LOCAL_KEY_FILE);
  const existing = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (existing) {
    const verified = await keys.verify(existing);
    if (verified) {
      await chmod(file, 0o600);
      return { key: existing, id: verified.id, created: false, file };
    }
  }
  const { key, view } = await keys.create({ name: 'local admin (embedded)', scopes: ['admin'] });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { key, id: view.id, created: true, file };
}

/** The same from a migrated gateway database alone (what the embedded launcher holds). */
export async function ensureLocalApiKey(
  db: Database,
  dataDir: string,
): Promise<{ key: string; id: string; created: boolean; file: string }> {
  const prisma = createPrismaClient(PrismaClient, db);
  try {
    return await ensureLocalKey(new ApiKeyStore(prisma), dataDir);
  } finally {
    await prisma.$disconnect();
  }
}
