/**
 * A spanning tree (or forest) as parallel arrays: edge e joins `a[e]` and `b[e]` (a < b) at
 * mutual-reachability distance `weight[e]`.
 */
export interface SpanningTree {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly weight: Float64Array;
}

/**
 * The strict total order on edges used everywhere: by weight, then by lower endpoint, then by
 * upper endpoint. Mutual reachability ties a lot (every edge inside a point's core distance
 * weighs exactly that core distance), and with ties the minimum spanning tree is not unique; under
 * a strict order it is, so Prim, Kruskal and Borůvka all find the same tree and the single-linkage
 * hierarchy, hence the labels, do not depend on which algorithm (or which input order) ran.
 */
export function edgeLess(w1: number, a1: number, b1: number, w2: number, a2: number, b2: number): boolean {
  if (w1 !== w2) return w1 < w2;
  if (a1 !== a2) return a1 < a2;
  return b1 < b2;
}

/** Builds edge arrays with endpoints ordered (a < b). */
export class EdgeList {
  a: Int32Array;
  b: Int32Array;
  weight: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.a = new Int32Array(Math.max(1, capacity));
    this.b = new Int32Array(Math.max(1, capacity));
    this.weight = new Float64Array(Math.max(1, capacity));
  }

  push(u: number, v: number, weight: number): void {
    if (this.length === this.a.length) this.grow();
    const e = this.length++;
    this.a[e] = Math.min(u, v);
    this.b[e] = Math.max(u, v);
    this.weight[e] = weight;
  }

  /** Edge indices sorted by `edgeLess`. */
  sortedOrder(): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let e = 0; e < order.length; e++) order[e] = e;
    const { a, b, weight } = this;
    order.sort((x, y) => weight[x]! - weight[y]! || a[x]! - a[y]! || b[x]! - b[y]!);
    return order;
  }

  toTree(): SpanningTree {
    return {
      a: this.a.slice(0, this.length),
      b: this.b.slice(0, this.length),
      weight: this.weight.slice(0, this.length),
    };
  }

  private grow(): void {
    const grow = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    const capacity = this.a.length * 2;
    this.a = grow(this.a, new Int32Array(capacity));
    this.b = grow(this.b, new Int32Array(capacity));
    this.weight = grow(this.weight, new Float64Array(capacity));
  }
}

/** Total weight of a tree (a quality figure: the approximate tree can only weigh more). */
export function treeWeight(tree: SpanningTree): number {
  let total = 0;
  for (let e = 0; e < tree.weight.length; e++) total += tree.weight[e]!;
  return total;
}
