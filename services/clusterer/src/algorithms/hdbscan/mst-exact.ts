import { EdgeList, edgeLess, type SpanningTree } from './edges.js';
import { distance, rowCount, type VectorMatrix } from './vectors.js';

/**
 * The exact minimum spanning tree of the complete mutual-reachability graph,
 * mreach(p, q) = max(core(p), core(q), d(p, q)), by Prim's algorithm without a heap (dense graph):
 * O(n²·dim) time, O(n) memory, distances computed on the fly. A distance is skipped when
 * max(core(p), core(q)) alone already exceeds the best edge known for q, which saves a good share
 * of them. Ties follow `edgeLess`, so the tree is the unique one every other path also targets.
 */
export function exactMst(matrix: VectorMatrix, core: Float64Array): SpanningTree {
  const n = rowCount(matrix);
  const edges = new EdgeList(Math.max(0, n - 1));
  if (n <= 1) return edges.toTree();
  const { data, dim } = matrix;
  const key = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const partner = new Int32Array(n).fill(-1);
  const remaining = new Int32Array(n - 1);
  for (let i = 1; i < n; i++) remaining[i - 1] = i;
  let left = n - 1;
  let current = 0;
  while (left > 0) {
    const coreCurrent = core[current]!;
    let bestSlot = -1;
    let bestW = Number.POSITIVE_INFINITY;
    let bestA = 0;
    let bestB = 0;
    for (let r = 0; r < left; r++) {
      const v = remaining[r]!;
      let kv = key[v]!;
      const coreV = core[v]!;
      const lower = coreCurrent > coreV ? coreCurrent : coreV;
      if (lower <= kv) {
        const d = distance(data, dim, current, v);
        const w = d > lower ? d : lower;
        const p = partner[v]!;
        if (
          w < kv ||
          (w === kv &&
            edgeLess(w, Math.min(current, v), Math.max(current, v), kv, Math.min(p, v), Math.max(p, v)))
        ) {
          key[v] = w;
          partner[v] = current;
          kv = w;
        }
      }
      const p = partner[v]!;
      const a = p < v ? p : v;
      const b = p < v ? v : p;
      if (bestSlot < 0 || edgeLess(kv, a, b, bestW, bestA, bestB)) {
        bestSlot = r;
        bestW = kv;
        bestA = a;
        bestB = b;
      }
    }
    const next = remaining[bestSlot]!;
    edges.push(partner[next]!, next, key[next]!);
    remaining[bestSlot] = remaining[left - 1]!;
    left--;
    current = next;
  }
  return edges.toTree();
}
