// The clusterer's generated Prisma client (npm run prisma:generate -w services/clusterer).
export { PrismaClient } from '../generated/prisma/client.js';
export type { Prisma } from '../generated/prisma/client.js';
