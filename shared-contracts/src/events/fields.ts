import { z } from 'zod';

// Shared field shapes, bounded so hostile input cannot blow memory.
export const id = z.string().min(1).max(200);
export const timestamp = z.iso.datetime({ offset: true });
export const url = z.url({ protocol: /^https?$/ }).max(4000);
export const title = z.string().max(1000);
export const text = z.string().max(100_000);
export const sourceType = z.enum(['rss', 'atom', 'rdf', 'jsonfeed', 'reddit', 'hackernews', 'push', 'jsonl']);
export const version = z.number().int().min(1);
export const ids = z.array(id).max(10_000);
export const keywords = z.array(z.object({ term: z.string().min(1).max(200), weight: z.number() })).max(50);
export const unitInterval = z.number().min(0).max(1);
