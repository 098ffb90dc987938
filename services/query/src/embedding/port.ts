/**
 * Embeds a search query with the model the items were embedded with (the embedder's live one),
 * so the query vector and the item vectors share a space.
 */
export interface QueryEmbedder {
  embed(text: string, options?: { signal?: AbortSignal }): Promise<QueryVector>;
  /** closed | open | halfOpen for remote adapters; always closed in process. */
  readonly state?: () => 'closed' | 'open' | 'halfOpen';
  close?(): void;
}

export interface QueryVector {
  model: string;
  vector: Float32Array;
}

/** The embedder cannot answer now (down, timing out, breaker open). */
export class EmbedderUnavailableError extends Error {
  override readonly name = 'EmbedderUnavailableError';
}

/**
 * The in-process adapter of the embedded default: the launcher passes a function that runs the
 * embedder service's own embedding path (its cache and provider), e.g.
 * `createInProcessQueryEmbedder(async (text, signal) => ({ model: svc.model, vector: (await svc.embedTexts([text], signal))[0]! }))`.
 */
export function createInProcessQueryEmbedder(
  embed: (text: string, signal?: AbortSignal) => Promise<QueryVector>,
): QueryEmbedder {
  return {
    async embed(text, options) {
      try {
        return await embed(text, options?.signal);
      } catch (err) {
        if (options?.signal?.aborted) throw err;
        throw new EmbedderUnavailableError(`query embedding failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
    },
    state: () => 'closed',
  };
}
