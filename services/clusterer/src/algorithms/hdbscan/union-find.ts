/** Disjoint sets over 0..n−1 with union by size and path halving: near-constant time per call. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private sets: number;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.sets = n;
  }

  /** How many disjoint sets remain. */
  get count(): number {
    return this.sets;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  }

  /** Joins the sets of a and b; false when they were already one (the edge would close a cycle). */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    this.sets--;
    return true;
  }

  setSize(x: number): number {
    return this.size[this.find(x)]!;
  }
}
