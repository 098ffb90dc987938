// The collector's generated Prisma client (npm run prisma:generate -w services/collector).
export { PrismaClient } from '../generated/prisma/client.js';
export type { Prisma, Source, SeenItem, FetchLog } from '../generated/prisma/client.js';
