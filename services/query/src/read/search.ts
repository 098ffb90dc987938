import type { SearchParams, SearchResult } from '@trendmill/shared-contracts';
import type { VectorFilter } from '@trendmill/vectors';
import { nearest } from '../domain/vectors-math.js';
import { reciprocalRankFusion } from '../domain/rrf.js';
import type { ItemFilters } from '../domain/sql-where.js';
import { EmbedderUnavailableError, type QueryEmbedder } from '../embedding/port.js';
import { QueryApiError } from '../errors.js';
import type { ReadStore } from '../store/read-store.js';
import { toItemSummary } from '../store/rows.js';
import type { VectorAccess } from './vector-access.js';

/** Items matching a cluster filter at most this many are compared exactly (their vectors fetched). */
const EXACT_CANDIDATES = 20_000;

export interface SearchDeps {
  store: ReadStore;
  vectors: VectorAccess;
  embedder: QueryEmbedder;
}

interface RankedId {
  id: string;
  score: number;
}

export async function search(deps: SearchDeps, p: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
  const filters: ItemFilters = {
    cluster: p.cluster,
    source: p.source,
    language: p.language,
    since: p.since,
    until: p.until,
  };
  if (p.mode === 'fulltext') {
    const rows = await deps.store.fulltext(p.q, filters, p.limit);
    return {
      query: p.q,
      mode: p.mode,
      model: null,
      degraded: null,
      hits: rows.map((row, i) => ({
        item: toItemSummary(row),
        score: row.rank,
        ranks: { fulltext: i + 1, semantic: null },
      })),
    };
  }
  if (p.mode === 'semantic') {
    const semantic = await semanticIds(deps, p.q, filters, p.limit, signal).catch(unavailable);
    const rows = await deps.store.itemsByIds(semantic.hits.map((h) => h.id));
    const score = new Map(semantic.hits.map((h, i) => [h.id, { score: h.score, rank: i + 1 }]));
    return {
      query: p.q,
      mode: p.mode,
      model: semantic.model,
      degraded: null,
      hits: rows.map((row) => ({
        item: toItemSummary(row),
        score: score.get(row.id)!.score,
        ranks: { fulltext: null, semantic: score.get(row.id)!.rank },
      })),
    };
  }
  // Hybrid: each list deeper than the page, so an item ranked moderately in both can surface.
  const depth = Math.max(p.limit * 3, 50);
  const [fulltext, semantic] = await Promise.all([
    deps.store.fulltext(p.q, filters, depth),
    semanticIds(deps, p.q, filters, depth, signal).catch((err: unknown) => {
      if (err instanceof EmbedderUnavailableError) return { model: null, hits: [], degraded: err.message };
      throw err;
    }),
  ]);
  const fused = reciprocalRankFusion([fulltext.map((r) => r.id), semantic.hits.map((h) => h.id)]).slice(
    0,
    p.limit,
  );
  const known = new Map(fulltext.map((r) => [r.id, r]));
  const missing = fused.filter((f) => !known.has(f.id)).map((f) => f.id);
  for (const row of await deps.store.itemsByIds(missing)) known.set(row.id, { ...row, rank: 0 });
  return {
    query: p.q,
    mode: p.mode,
    model: semantic.model,
    degraded: 'degraded' in semantic ? semantic.degraded : null,
    hits: fused.flatMap((f) => {
      const row = known.get(f.id);
      if (!row) return [];
      return [
        {
          item: toItemSummary(row),
          score: f.score,
          ranks: { fulltext: f.ranks[0] ?? null, semantic: f.ranks[1] ?? null },
        },
      ];
    }),
  };
}

function unavailable(err: unknown): never {
  if (err instanceof EmbedderUnavailableError)
    throw new QueryApiError(503, 'embedder_unavailable', `semantic search is unavailable: ${err.message}`);
  throw err;
}

/** The nearest items to the embedded query that pass the filters, best first. */
async function semanticIds(
  deps: SearchDeps,
  q: string,
  filters: ItemFilters,
  k: number,
  signal: AbortSignal | undefined,
): Promise<{ model: string; hits: RankedId[] }> {
  const { model, vector } = await deps.embedder.embed(q, signal ? { signal } : {});
  const collection = await deps.vectors.collection(model);
  if (!collection) return { model, hits: [] };
  if (collection.dim !== vector.length)
    throw new QueryApiError(
      502,
      'model_mismatch',
      `query vector has ${vector.length} dimensions, model ${model} has ${collection.dim}`,
    );
  if (filters.cluster !== undefined) {
    // Membership is not in the vector payload (it changes as clusters merge); a cluster's members
    // are few enough to compare exactly.
    const candidates = await deps.store.candidateIds(filters, EXACT_CANDIDATES);
    const points = await collection.retrieve(candidates.filter((c) => c.model === model).map((c) => c.id));
    return { model, hits: nearest(vector, points, k).map((n) => ({ id: n.point.id, score: n.similarity })) };
  }
  const filter = payloadFilter(filters);
  const hits = await collection.search(vector, { k, ...(filter ? { filter } : {}) });
  return { model, hits: hits.map((h) => ({ id: h.id, score: h.score })) };
}

function payloadFilter(filters: ItemFilters): VectorFilter | undefined {
  const must: VectorFilter['must'] = [];
  if (filters.source !== undefined) must.push({ key: 'sourceId', match: filters.source });
  if (filters.language !== undefined) must.push({ key: 'language', match: filters.language.toLowerCase() });
  if (filters.since !== undefined || filters.until !== undefined)
    must.push({
      key: 'publishedAt',
      range: {
        ...(filters.since !== undefined ? { gte: Date.parse(filters.since) } : {}),
        ...(filters.until !== undefined ? { lt: Date.parse(filters.until) } : {}),
      },
    });
  return must.length > 0 ? { must } : undefined;
}
