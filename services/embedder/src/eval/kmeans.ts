import { seededRandom, type Random } from './random.js';

/**
 * Euclidean k-means as scikit-learn runs it for the reference baselines: greedy k-means++ seeding,
 * Lloyd iterations until no item changes cluster or the centres stop moving (shift² ≤ tol × mean
 * per-feature variance), and `restarts` independent runs keeping the lowest inertia (n_init=10).
 *
 * Iterations use Elkan's triangle-inequality bounds to skip most distance computations once
 * clusters settle; they return what plain Lloyd iterations would (up to float rounding on ties),
 * only faster. Randomness comes only from `seed`.
 */
export interface KMeansOptions {
  k: number;
  /** Independent seedings; the run with the lowest inertia wins. Default 10. */
  restarts?: number;
  maxIterations?: number;
  /** Relative tolerance on the centre shift, as sklearn's `tol`. Default 1e-4. */
  tolerance?: number;
  seed?: number;
  /**
   * Spherical k-means: centres are rescaled to unit length after every update, so the nearest
   * centre is the most cosine-similar one (for unit vectors). Default false (sklearn's Euclidean).
   */
  spherical?: boolean;
}

export interface KMeansResult {
  /** Cluster index (0..k-1) of every vector. */
  assignments: Int32Array;
  /** k × dim centres, row-major. */
  centroids: Float32Array;
  /** Sum of squared distances of the vectors to their centres. */
  inertia: number;
  iterations: number;
}

export function kmeans(vectors: readonly Float32Array[], options: KMeansOptions): KMeansResult {
  const n = vectors.length;
  const { k } = options;
  const restarts = options.restarts ?? 10;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`k (${k}) exceeds the number of vectors (${n})`);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new RangeError(`restarts must be a positive integer, got ${restarts}`);
  const dim = vectors[0]!.length;
  const data = new Float32Array(n * dim);
  vectors.forEach((vector, i) => {
    if (vector.length !== dim)
      throw new RangeError(`vector ${i} has ${vector.length} dimensions, not ${dim}`);
    data.set(vector, i * dim);
  });
  const points: Points = { data, n, dim, norms: squaredNorms(data, n, dim) };
  const random = seededRandom(options.seed ?? 0);
  const shiftTolerance = (options.tolerance ?? 1e-4) * meanVariance(points);

  let best: KMeansResult | undefined;
  for (let run = 0; run < restarts; run++) {
    const centroids = kmeansPlusPlus(points, k, random);
    const result = lloyd(points, centroids, k, {
      maxIterations: options.maxIterations ?? 300,
      shiftTolerance,
      spherical: options.spherical ?? false,
    });
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}

interface Points {
  data: Float32Array;
  n: number;
  dim: number;
  norms: Float64Array;
}

/** Greedy k-means++ (sklearn): 2 + ⌊ln k⌋ candidates per centre, keep the one lowering the potential most. */
function kmeansPlusPlus(points: Points, k: number, random: Random): Float32Array {
  const { data, n, dim } = points;
  const centroids = new Float32Array(k * dim);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(random() * n);
  centroids.set(data.subarray(first * dim, (first + 1) * dim), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(points, i, data, first * dim);
  let potential = sum(closest);
  const candidateDistances = new Float64Array(n);
  const bestDistances = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Infinity;
    let bestCandidate = -1;
    for (let t = 0; t < trials; t++) {
      const candidate = sampleByWeight(closest, potential, random);
      let candidatePotential = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.min(closest[i]!, squaredDistance(points, i, data, candidate * dim));
        candidateDistances[i] = d;
        candidatePotential += d;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances.set(candidateDistances);
      }
    }
    centroids.set(data.subarray(bestCandidate * dim, (bestCandidate + 1) * dim), c * dim);
    closest.set(bestDistances);
    potential = bestPotential;
  }
  return centroids;
}

function sampleByWeight(weights: Float64Array, total: number, random: Random): number {
  // All points coincide with chosen centres: any point will do.
  if (!(total > 0)) return Math.floor(random() * weights.length);
  let target = random() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return weights.length - 1;
}

/**
 * Lloyd iterations with Elkan's bounds (distances, not squared, so the triangle inequality holds):
 * per point an upper bound to its own centre and a lower bound to every centre, so a point is
 * compared only with the centres that could still be nearer. In a few hundred dimensions the
 * single lower bound of Hamerly's variant prunes too little; k bounds per point are cheap here.
 */
function lloyd(
  points: Points,
  centroids: Float32Array,
  k: number,
  {
    maxIterations,
    shiftTolerance,
    spherical,
  }: { maxIterations: number; shiftTolerance: number; spherical: boolean },
): KMeansResult {
  const { data, n, dim } = points;
  const assignments = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const centroidNorms = squaredNorms(centroids, k, dim);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      const d = Math.sqrt(distanceToCentroid(points, i, centroids, centroidNorms, c));
      lower[i * k + c] = d;
      if (d < best) {
        best = d;
        assignments[i] = c;
      }
    }
    upper[i] = best;
  }

  // Sums and counts follow the assignments incrementally: only points that move touch them.
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) addPoint(sums, counts, data, i, assignments[i]!, dim, 1);
  const moved = new Float64Array(k);
  const gaps = new Float64Array(k * k);
  const halfGap = new Float64Array(k);
  let iterations = 0;
  for (let changed = n; iterations < maxIterations;) {
    iterations++;
    // New centres: means of their members; an empty cluster takes the point farthest from its centre.
    relocateEmptyClusters(points, centroids, centroidNorms, assignments, sums, counts, lower, k);
    let totalShift = 0;
    for (let c = 0; c < k; c++) {
      const offset = c * dim;
      let scale = 1 / counts[c]!;
      if (spherical) {
        let norm = 0;
        for (let d = 0; d < dim; d++) norm += sums[offset + d]! ** 2;
        if (norm > 0) scale = 1 / Math.sqrt(norm);
      }
      let shift = 0;
      for (let d = 0; d < dim; d++) {
        const value = sums[offset + d]! * scale;
        shift += (value - centroids[offset + d]!) ** 2;
        centroids[offset + d] = value;
      }
      moved[c] = Math.sqrt(shift);
      totalShift += shift;
    }
    refreshNorms(centroids, k, dim, centroidNorms);
    if (changed === 0 || totalShift <= shiftTolerance) break;

    for (let i = 0; i < n; i++) {
      upper[i]! += moved[assignments[i]!]!;
      const row = i * k;
      for (let c = 0; c < k; c++) lower[row + c] = Math.max(lower[row + c]! - moved[c]!, 0);
    }
    centreGaps(centroids, centroidNorms, k, dim, gaps, halfGap);

    changed = 0;
    for (let i = 0; i < n; i++) {
      let a = assignments[i]!;
      if (upper[i]! <= halfGap[a]!) continue;
      const row = i * k;
      let stale = true;
      for (let c = 0; c < k; c++) {
        if (c === a || upper[i]! <= lower[row + c]! || upper[i]! <= gaps[a * k + c]! / 2) continue;
        if (stale) {
          upper[i] = Math.sqrt(distanceToCentroid(points, i, centroids, centroidNorms, a));
          lower[row + a] = upper[i]!;
          stale = false;
          if (upper[i]! <= lower[row + c]! || upper[i]! <= gaps[a * k + c]! / 2) continue;
        }
        const d = Math.sqrt(distanceToCentroid(points, i, centroids, centroidNorms, c));
        lower[row + c] = d;
        if (d < upper[i]!) {
          a = c;
          upper[i] = d;
        }
      }
      if (a !== assignments[i]) {
        addPoint(sums, counts, data, i, assignments[i]!, dim, -1);
        addPoint(sums, counts, data, i, a, dim, 1);
        assignments[i] = a;
        changed++;
      }
    }
  }

  // Final assignment against the final centres, and the inertia sklearn reports. Ties keep the
  // current cluster, so a cluster refilled from coinciding points is not emptied again.
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = distanceToCentroid(points, i, centroids, centroidNorms, assignments[i]!);
    for (let c = 0; c < k; c++) {
      const d = distanceToCentroid(points, i, centroids, centroidNorms, c);
      if (d < best) {
        best = d;
        assignments[i] = c;
      }
    }
    inertia += best;
  }
  return { assignments, centroids, inertia, iterations };
}

function addPoint(
  sums: Float64Array,
  counts: Int32Array,
  data: Float32Array,
  i: number,
  c: number,
  dim: number,
  sign: 1 | -1,
) {
  counts[c]! += sign;
  const offset = c * dim;
  const base = i * dim;
  for (let d = 0; d < dim; d++) sums[offset + d]! += sign * data[base + d]!;
}

/** Distances between centres, and half the distance from each to its nearest other one. */
function centreGaps(
  centroids: Float32Array,
  norms: Float64Array,
  k: number,
  dim: number,
  gaps: Float64Array,
  halfGap: Float64Array,
) {
  halfGap.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += centroids[a * dim + d]! * centroids[b * dim + d]!;
      const gap = Math.sqrt(Math.max(norms[a]! + norms[b]! - 2 * dot, 0));
      gaps[a * k + b] = gap;
      gaps[b * k + a] = gap;
      if (gap / 2 < halfGap[a]!) halfGap[a] = gap / 2;
      if (gap / 2 < halfGap[b]!) halfGap[b] = gap / 2;
    }
  }
}

/**
 * sklearn's rule for a cluster left empty: it takes the point farthest from its own centre (the
 * next farthest for the next empty cluster), moved out of the cluster it was in.
 */
function relocateEmptyClusters(
  points: Points,
  centroids: Float32Array,
  norms: Float64Array,
  assignments: Int32Array,
  sums: Float64Array,
  counts: Int32Array,
  lower: Float64Array,
  k: number,
): void {
  const empty: number[] = [];
  counts.forEach((count, c) => count === 0 && empty.push(c));
  if (empty.length === 0) return;
  const { data, n, dim } = points;
  const distances = Array.from({ length: n }, (_, i) => ({
    i,
    d: distanceToCentroid(points, i, centroids, norms, assignments[i]!),
  }));
  distances.sort((a, b) => b.d - a.d || a.i - b.i);
  let next = 0;
  for (const c of empty) {
    // Never empty another cluster by taking its last member.
    while (counts[assignments[distances[next]!.i]!]! <= 1) next++;
    const i = distances[next++]!.i;
    addPoint(sums, counts, data, i, assignments[i]!, dim, -1);
    addPoint(sums, counts, data, i, c, dim, 1);
    assignments[i] = c;
    // Its bounds referred to the old centre: void them, so the next round measures it afresh.
    lower.fill(0, i * k, (i + 1) * k);
  }
}

function distanceToCentroid(
  points: Points,
  i: number,
  centroids: Float32Array,
  norms: Float64Array,
  c: number,
) {
  const { data, dim } = points;
  const base = i * dim;
  const offset = c * dim;
  let dot = 0;
  for (let d = 0; d < dim; d++) dot += data[base + d]! * centroids[offset + d]!;
  return Math.max(points.norms[i]! + norms[c]! - 2 * dot, 0);
}

function squaredDistance(points: Points, i: number, other: Float32Array, offset: number): number {
  const { data, dim } = points;
  const base = i * dim;
  let total = 0;
  for (let d = 0; d < dim; d++) {
    const diff = data[base + d]! - other[offset + d]!;
    total += diff * diff;
  }
  return total;
}

function squaredNorms(data: Float32Array, rows: number, dim: number): Float64Array {
  return refreshNorms(data, rows, dim, new Float64Array(rows));
}

function refreshNorms(data: Float32Array, rows: number, dim: number, out: Float64Array): Float64Array {
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let d = 0; d < dim; d++) total += data[r * dim + d]! ** 2;
    out[r] = total;
  }
  return out;
}

function meanVariance(points: Points): number {
  const { data, n, dim } = points;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += data[i * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= n;
  let total = 0;
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) total += (data[i * dim + d]! - mean[d]!) ** 2;
  return total / n / dim;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
