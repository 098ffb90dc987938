import type { PrismaClient } from '../store/prisma.js';
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { generateApiKey, hashSecret, maskKey, parseApiKey, secretMatches } from './api-key-format.js';
import type { Scope } from './scopes.js';

/** What listings show of a key (never its secret or hash). */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  display: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: Scope[];
}

/** lastUsedAt is written at most this often per key, so busy keys cost no write per request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * API keys in the gateway's schema: created once (plaintext returned once), verified, revoked.
 * Verified keys are remembered for `verifiedTtlMs` (default 5 s) so a busy client costs no
 * database read per request; a revocation here takes effect at once, one made through another
 * replica within that time.
 */
export class ApiKeyStore {
  private readonly touched = new Map<string, number>();
  private readonly verified: LRUCache<string, AuthenticatedKey> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    options: { verifiedTtlMs?: number } = {},
  ) {
    const ttl = options.verifiedTtlMs ?? 5_000;
    this.verified = ttl > 0 ? new LRUCache({ max: 10_000, ttl }) : undefined;
  }

  async create(input: { name: string; scopes: Scope[] }): Promise<{ key: string; view: ApiKeyView }> {
    const generated = generateApiKey();
    const row = await this.prisma.apiKey.create({
      data: {
        id: generated.id,
        name: input.name,
        scopes: input.scopes,
        salt: generated.salt,
        hash: generated.hash,
      },
    });
    return { key: generated.plaintext, view: toView(row) };
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: options.includeRevoked ? {} : { revokedAt: null },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toView);
  }

  async get(id: string): Promise<ApiKeyView | undefined> {
    const row = await this.prisma.apiKey.findUnique({ where: { id } });
    return row ? toView(row) : undefined;
  }

  /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
  async revoke(id: string): Promise<ApiKeyView | undefined> {
    const row = await this.prisma.apiKey.findUnique({ where: { id } });
    if (!row) return undefined;
    this.forget(id);
    if (row.revokedAt) return toView(row);
    return toView(await this.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } }));
  }

  /**
   * Registers a key chosen outside Trendmill (GATEWAY_BOOTSTRAP_ADMIN_KEY), stored hashed like
   * any other; idempotent, so every start may call it.
   */
  async importKey(plaintext: string, input: { name: string; scopes: Scope[] }): Promise<ApiKeyView> {
    const parsed = readKey(plaintext);
    if (!parsed)
      throw new RangeError('an imported API key must be 32-200 printable characters without spaces');
    const existing = await this.prisma.apiKey.findUnique({ where: { id: parsed.id } });
    if (existing) return toView(existing);
    const salt = randomBytes(16).toString('hex');
    const row = await this.prisma.apiKey.create({
      data: {
        id: parsed.id,
        name: input.name,
        scopes: input.scopes,
        salt,
        hash: hashSecret(salt, parsed.secret),
      },
    });
    return toView(row);
  }

  /** The key a request presented, or undefined when it is malformed, unknown, wrong or revoked. */
  async verify(plaintext: string): Promise<AuthenticatedKey | undefined> {
    const parsed = readKey(plaintext);
    if (!parsed) return undefined;
    // Keyed by a digest so the plaintext is not kept in memory.
    const digest = createHash('sha256').update(plaintext).digest('base64url');
    const remembered = this.verified?.get(digest);
    if (remembered) {
      this.touch(remembered.id);
      return remembered;
    }
    const row = await this.prisma.apiKey.findUnique({ where: { id: parsed.id } });
    if (!row || row.revokedAt) return undefined;
    if (!secretMatches(row.salt, parsed.secret, row.hash)) return undefined;
    this.touch(row.id);
    const key = { id: row.id, name: row.name, scopes: row.scopes as Scope[] };
    this.verified?.set(digest, key);
    return key;
  }

  private forget(id: string): void {
    if (!this.verified) return;
    for (const [digest, key] of this.verified.entries()) if (key.id === id) this.verified.delete(digest);
  }

  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.touched.set(id, now);
    // Best effort: a lost lastUsedAt update must never fail the request it describes.
    void this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
  }
}

/**
 * Our own keys carry their id; an imported key of another shape is found by an id derived from
 * its hash (prefixed "x" so it never collides with a generated one).
 */
function readKey(plaintext: string): { id: string; secret: string } | undefined {
  const own = parseApiKey(plaintext);
  if (own) return own;
  if (!/^[\x21-\x7e]{32,200}$/.test(plaintext)) return undefined;
  return { id: `x${createHash('sha256').update(plaintext).digest('hex').slice(0, 11)}`, secret: plaintext };
}

function toView(row: {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    display: maskKey(row.id),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
