// The gateway's generated Prisma client (npm run prisma:generate -w services/gateway).
export { PrismaClient, Prisma } from '../generated/prisma/client.js';
export type { ApiKey, FeatureFlag } from '../generated/prisma/client.js';
