import { z } from 'zod';
import { base64ByteLength } from '../vector.js';
import { id, sourceType, text, timestamp, title, url } from './fields.js';

export const itemEmbedded = z
  .object({
    itemId: id,
    model: z.string().min(1).max(200),
    dim: z.number().int().min(1).max(8192),
    /** base64 of little-endian float32 values; `decodeVector(vector, dim)`. */
    vector: z.base64().max(8192 * 6),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 hex'),
    sourceId: id,
    sourceType,
    title,
    text,
    url: url.optional(),
    language: z.string().min(2).max(20),
    publishedAt: timestamp,
  })
  .refine((e) => base64ByteLength(e.vector) === e.dim * 4, {
    message: 'vector length does not match dim (expected dim × 4 bytes of float32)',
    path: ['vector'],
  });
export type ItemEmbedded = z.infer<typeof itemEmbedded>;
