import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createLocalProvider, embeddingInput } from '@trendmill/embedder';
import type { TestItem } from './harness.js';

const POSTS = fileURLToPath(new URL('../../../../deploy/sample-data/posts.jsonl', import.meta.url));

interface SamplePost {
  externalId: string;
  title: string;
  content?: string;
  summary?: string;
  publishedAt?: string;
  metadata: { sampleTopic: string };
}

export interface SampleItem extends TestItem {
  topic: string;
}

let loaded: Promise<SampleItem[]> | undefined;

/**
 * The bundled sample posts (nine topics plus noise, deploy/sample-data), embedded by the real
 * built-in embedder exactly as the embedder service would (same input text, same model).
 */
export function sampleItems(): Promise<SampleItem[]> {
  return (loaded ??= (async () => {
    const posts = (await readFile(POSTS, 'utf8'))
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as SamplePost);
    const provider = createLocalProvider();
    try {
      const texts = posts.map((p) => ({ title: p.title, text: p.content ?? p.summary ?? '' }));
      const vectors = await provider.embed(texts.map((t) => embeddingInput(t)));
      return posts.map((p, i) => ({
        itemId: p.externalId,
        title: texts[i]!.title,
        text: texts[i]!.text || texts[i]!.title,
        vector: vectors[i]!,
        model: provider.model,
        publishedAt: new Date(p.publishedAt ?? '2026-11-20T00:00:00Z').toISOString(),
        topic: p.metadata.sampleTopic,
      }));
    } finally {
      await provider.close();
    }
  })());
}

export async function topicItems(topic: string): Promise<SampleItem[]> {
  return (await sampleItems()).filter((i) => i.topic === topic);
}
