import { qualified } from '@trendmill/platform';
import type { NearDuplicateStore, StoredFingerprint } from '../domain/index.js';
import type { Prisma } from './prisma.js';

type Tx = Prisma.TransactionClient;

export interface ExactDuplicate {
  itemId: string;
  method: 'url' | 'content-hash';
}

/** The normalizer's fingerprint tables, used inside one transaction per item. */
export class FingerprintStore implements NearDuplicateStore {
  constructor(
    private readonly tx: Tx,
    private readonly schema: string,
  ) {}

  async outcomeOf(itemId: string): Promise<string | undefined> {
    return (await this.tx.itemOutcome.findUnique({ where: { itemId } }))?.outcome;
  }

  /** The earliest kept item with the same canonical URL, else the same content hash. */
  async exactDuplicate(
    canonicalUrl: string | undefined,
    contentHash: string,
  ): Promise<ExactDuplicate | undefined> {
    if (canonicalUrl) {
      const byUrl = await this.tx.fingerprint.findFirst({
        where: { canonicalUrl },
        orderBy: { createdAt: 'asc' },
        select: { itemId: true },
      });
      if (byUrl) return { itemId: byUrl.itemId, method: 'url' };
    }
    const byHash = await this.tx.fingerprint.findFirst({
      where: { contentHash },
      orderBy: { createdAt: 'asc' },
      select: { itemId: true },
    });
    return byHash ? { itemId: byHash.itemId, method: 'content-hash' } : undefined;
  }

  async candidates(bandKeys: readonly string[], limit: number): Promise<StoredFingerprint[]> {
    if (bandKeys.length === 0) return [];
    const bands = qualified(this.schema, 'fingerprint_bands');
    const prints = qualified(this.schema, 'fingerprints');
    return this.tx.$queryRawUnsafe<StoredFingerprint[]>(
      `SELECT f.item_id AS "itemId", f.signature
         FROM (SELECT item_id, count(*) AS shared FROM ${bands}
                WHERE band_key = ANY($1::text[]) GROUP BY item_id ORDER BY shared DESC, item_id LIMIT $2) c
         JOIN ${prints} f ON f.item_id = c.item_id
        ORDER BY c.shared DESC, f.item_id`,
      [...bandKeys],
      limit,
    );
  }

  /** Near-duplicate index entries are added by keep(), with the exact keys, in one place. */
  async add(): Promise<void> {}

  async keep(fields: {
    itemId: string;
    sourceId: string;
    canonicalUrl: string | undefined;
    contentHash: string;
    signature: string;
    bandKeys: readonly string[];
  }): Promise<void> {
    await this.tx.fingerprint.create({
      data: {
        itemId: fields.itemId,
        sourceId: fields.sourceId,
        canonicalUrl: fields.canonicalUrl ?? null,
        contentHash: fields.contentHash,
        signature: fields.signature,
      },
    });
    await this.tx.fingerprintBand.createMany({
      data: [...new Set(fields.bandKeys)].map((bandKey) => ({ bandKey, itemId: fields.itemId })),
      skipDuplicates: true,
    });
  }

  async recordOutcome(outcome: {
    itemId: string;
    outcome: 'normalized' | 'duplicate';
    method?: string;
    originalItemId?: string;
    similarity?: number;
  }): Promise<void> {
    await this.tx.itemOutcome.create({
      data: {
        itemId: outcome.itemId,
        outcome: outcome.outcome,
        method: outcome.method ?? null,
        originalItemId: outcome.originalItemId ?? null,
        similarity: outcome.similarity ?? null,
      },
    });
  }
}
