import type { VectorCollection, VectorStore } from '@trendmill/vectors';

/**
 * Collections by model name alone: the read side knows an item's model but not its dimension,
 * which the store needs to open a collection. Dimensions are learned from the store's listing and
 * remembered (a model's dimension never changes).
 */
export class VectorAccess {
  private readonly dims = new Map<string, number>();

  constructor(readonly store: VectorStore) {}

  async collection(model: string): Promise<VectorCollection | undefined> {
    let dim = this.dims.get(model);
    if (dim === undefined) {
      for (const c of await this.store.listCollections()) this.dims.set(c.model, c.dim);
      dim = this.dims.get(model);
      if (dim === undefined) return undefined;
    }
    return this.store.collection(model, dim);
  }

  remember(model: string, dim: number): void {
    this.dims.set(model, dim);
  }
}
