import { edgeLess } from './edges.js';
import { nativeExactSearch, type NeighbourLists } from './neighbours.js';
import { distance, type VectorMatrix } from './vectors.js';

export interface PairSearchSettings {
  /** Points per side scanned for good starting pairs (a deterministic stride sample). */
  sample: number;
  /** Starting points per side; every start pair is measured before the descent. */
  starts: number;
  /** Cap on improving moves of one descent. */
  maxSteps: number;
}

/** One side of a pair search: a set of points with its centroid. */
export interface PointGroup {
  /** Members in a fixed order (the stride sample is taken from it). */
  members: ArrayLike<number>;
  /** Mean of the members (not normalised), `dim` long. */
  centroid: Float64Array;
  contains(point: number): boolean;
}

export interface Edge {
  a: number;
  b: number;
  w: number;
}

/**
 * An approximately cheapest mutual-reachability edge between two disjoint groups, endpoints
 * ordered a < b. The sampled members of A nearest B's centroid and those of B nearest A's are
 * paired up; the best pair is then improved by greedy descent on the k-NN graph: either end moves
 * to one of its listed neighbours inside its own group while that lowers mutual reachability
 * (then plain distance, then indices). Cost O((S + s² + steps·k)·dim) for S sampled points and
 * s starts per side, whatever the group sizes. Among pairs tied at the least weight (common: the
 * weight is often one end's core distance) it returns one of them, not necessarily the first in
 * `edgeLess` order.
 */
export function closestPair(
  matrix: VectorMatrix,
  core: Float64Array,
  lists: NeighbourLists,
  A: PointGroup,
  B: PointGroup,
  settings: PairSearchSettings,
): Edge {
  const measure = (p: number, q: number): Candidate => {
    const d = distance(matrix.data, matrix.dim, p, q);
    return { p, q, d, w: Math.max(d, core[p]!, core[q]!) };
  };
  const startsA = nearestToPoint(matrix, A, B.centroid, settings);
  const startsB = nearestToPoint(matrix, B, A.centroid, settings);
  let best = measure(startsA[0]!, startsB[0]!);
  for (const a of startsA) {
    for (const b of startsB) {
      const candidate = measure(a, b);
      if (better(candidate, best)) best = candidate;
    }
  }
  const { k, indices, counts } = lists;
  for (let step = 0; step < settings.maxSteps; step++) {
    let next = best;
    for (let r = 0; r < counts[best.q]!; r++) {
      const y = indices[best.q * k + r]!;
      if (!B.contains(y)) continue;
      const candidate = measure(best.p, y);
      if (better(candidate, next)) next = candidate;
    }
    for (let r = 0; r < counts[best.p]!; r++) {
      const x = indices[best.p * k + r]!;
      if (!A.contains(x)) continue;
      const candidate = measure(x, best.q);
      if (better(candidate, next)) next = candidate;
    }
    if (next === best) break;
    best = next;
  }
  return { a: Math.min(best.p, best.q), b: Math.max(best.p, best.q), w: best.w };
}

interface Candidate {
  p: number;
  q: number;
  d: number;
  w: number;
}

function better(x: Candidate, y: Candidate): boolean {
  if (x.w !== y.w) return x.w < y.w;
  if (x.d !== y.d) return x.d < y.d;
  return edgeLess(0, Math.min(x.p, x.q), Math.max(x.p, x.q), 0, Math.min(y.p, y.q), Math.max(y.p, y.q));
}

/** The `starts` sampled members of `group` closest to `point` (ties by sample order). */
function nearestToPoint(
  matrix: VectorMatrix,
  group: PointGroup,
  point: Float64Array,
  settings: PairSearchSettings,
): number[] {
  const { data, dim } = matrix;
  const size = group.members.length;
  const sample = Math.min(size, settings.sample);
  const best: Array<{ member: number; d: number }> = [];
  for (let t = 0; t < sample; t++) {
    const member = group.members[Math.floor((t * size) / sample)]!;
    let d = 0;
    for (let k = 0, row = member * dim; k < dim; k++) {
      const diff = data[row + k]! - point[k]!;
      d += diff * diff;
    }
    if (best.length === settings.starts) {
      if (d >= best[best.length - 1]!.d) continue;
      best.pop();
    }
    let slot = best.length;
    best.push({ member, d });
    while (slot > 0 && best[slot - 1]!.d > d) {
      best[slot] = best[slot - 1]!;
      slot--;
    }
    best[slot] = { member, d };
  }
  return best.map((x) => x.member);
}

/** Mean of the given rows, `dim` long. */
export function centroidOf(matrix: VectorMatrix, members: ArrayLike<number>): Float64Array {
  const { data, dim } = matrix;
  const centroid = new Float64Array(dim);
  for (let m = 0; m < members.length; m++) {
    const row = members[m]! * dim;
    for (let k = 0; k < dim; k++) centroid[k]! += data[row + k]!;
  }
  if (members.length > 0) for (let k = 0; k < dim; k++) centroid[k]! /= members.length;
  return centroid;
}

/** Above this many groups, centroid neighbours come from usearch's native scan (~5× the JS loop). */
export const NATIVE_CENTROID_SCAN_ABOVE = 512;

/**
 * For every group, the `wanted` other groups whose centroids are nearest (ties by index), among
 * those `allowed`. O(g²·dim): in JavaScript for a few hundred groups, natively beyond, where
 * candidates the filter rejects are made up by a JavaScript scan of that one group.
 */
export function nearestCentroids(
  centroids: readonly Float64Array[],
  wanted: number,
  allowed: (from: number, other: number) => boolean = () => true,
): number[][] {
  const g = centroids.length;
  if (g <= NATIVE_CENTROID_SCAN_ABOVE)
    return centroids.map((_, from) => scanCentroids(centroids, from, wanted, allowed));
  const dim = centroids[0]!.length;
  const packed = new Float32Array(g * dim);
  centroids.forEach((centroid, i) => packed.set(centroid, i * dim));
  const asked = Math.min(g, wanted + 1);
  const found = nativeExactSearch(packed, dim, asked);
  return centroids.map((_, from) => {
    const result: number[] = [];
    for (let r = 0; r < Number(found.counts[from]) && result.length < wanted; r++) {
      const other = Number(found.keys[from * asked + r]);
      if (other !== from && allowed(from, other)) result.push(other);
    }
    return result.length === Math.min(wanted, g - 1)
      ? result
      : scanCentroids(centroids, from, wanted, allowed);
  });
}

function scanCentroids(
  centroids: readonly Float64Array[],
  from: number,
  wanted: number,
  allowed: (from: number, other: number) => boolean,
): number[] {
  const chosen: Array<{ g: number; d: number }> = [];
  const origin = centroids[from]!;
  centroids.forEach((centroid, g) => {
    if (g === from || !allowed(from, g)) return;
    let d = 0;
    for (let k = 0; k < origin.length; k++) {
      const t = origin[k]! - centroid[k]!;
      d += t * t;
    }
    if (chosen.length === wanted) {
      if (d >= chosen[wanted - 1]!.d) return;
      chosen.pop();
    }
    let slot = chosen.length;
    chosen.push({ g, d });
    while (slot > 0 && chosen[slot - 1]!.d > d) {
      chosen[slot] = chosen[slot - 1]!;
      slot--;
    }
    chosen[slot] = { g, d };
  });
  return chosen.map((x) => x.g);
}
