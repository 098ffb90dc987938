import { Prisma, type PrismaClient } from '../store/prisma.js';

export interface FeatureFlagView {
  key: string;
  enabled: boolean;
  description: string;
  value: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface FlagInput {
  enabled: boolean;
  description?: string | undefined;
  value?: unknown;
}

/** Feature flags in the gateway's schema. */
export class FeatureFlagStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(): Promise<FeatureFlagView[]> {
    return (await this.prisma.featureFlag.findMany({ orderBy: { key: 'asc' } })).map(toView);
  }

  async get(key: string): Promise<FeatureFlagView | undefined> {
    const row = await this.prisma.featureFlag.findUnique({ where: { key } });
    return row ? toView(row) : undefined;
  }

  /** Creates or replaces a flag; `created` tells which. */
  async put(key: string, input: FlagInput): Promise<{ flag: FeatureFlagView; created: boolean }> {
    const existed = await this.prisma.featureFlag.findUnique({ where: { key }, select: { key: true } });
    const data = {
      enabled: input.enabled,
      description: input.description ?? '',
      value:
        input.value === undefined || input.value === null
          ? Prisma.DbNull
          : (input.value as Prisma.InputJsonValue),
      updatedAt: new Date(),
    };
    const row = await this.prisma.featureFlag.upsert({
      where: { key },
      create: { key, ...data },
      update: data,
    });
    return { flag: toView(row), created: !existed };
  }

  async delete(key: string): Promise<boolean> {
    const { count } = await this.prisma.featureFlag.deleteMany({ where: { key } });
    return count > 0;
  }
}

function toView(row: {
  key: string;
  enabled: boolean;
  description: string;
  value: unknown;
  createdAt: Date;
  updatedAt: Date;
}): FeatureFlagView {
  return {
    key: row.key,
    enabled: row.enabled,
    description: row.description,
    value: row.value ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
