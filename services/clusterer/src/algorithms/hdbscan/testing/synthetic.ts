/**
 * Seeded synthetic embeddings for tests and bench/hdbscan.ts: gaussian clusters on the unit sphere
 * plus uniform noise, with the generating labels (−1 for noise) to score a clustering against.
 */

/** mulberry32: a small, fast, seedable PRNG; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function normalize(vector: Float64Array | number[]): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return Float32Array.from(vector, (x) => x / norm);
}

/** Uniform on the unit sphere in `dim` dimensions. */
export function randomUnitVector(random: () => number, dim: number): Float32Array {
  return normalize(Array.from({ length: dim }, () => gaussian(random)));
}

/**
 * `count` points around `center`: center + an isotropic gaussian offset of expected length about
 * `spread`, projected back onto the sphere. In high dimensions two such points lie about
 * spread·√2 / √(1 + spread²) apart.
 */
export function blobAround(
  random: () => number,
  center: ArrayLike<number>,
  spread: number,
  count: number,
): Float32Array[] {
  const dim = center.length;
  const sigma = spread / Math.sqrt(dim);
  return Array.from({ length: count }, () =>
    normalize(Array.from({ length: dim }, (_, k) => center[k]! + sigma * gaussian(random))),
  );
}

export interface MixtureOptions {
  n: number;
  dim: number;
  clusters: number;
  /** Share of the points drawn uniformly on the sphere (label −1). */
  noiseFraction: number;
  /** Offset length per cluster, drawn uniformly from this range. */
  spread: [number, number];
  seed: number;
  /** Cluster sizes follow weights 1 / (rank + 1)^skew (0 = equal sizes). */
  skew?: number;
}

export interface Mixture {
  vectors: Float32Array[];
  labels: Int32Array;
}

/** Clusters and noise interleaved in a seeded random order (so input order carries no hint). */
export function gaussianMixture(options: MixtureOptions): Mixture {
  const random = seededRandom(options.seed);
  const noise = Math.round(options.n * options.noiseFraction);
  const clustered = options.n - noise;
  const weights = Array.from({ length: options.clusters }, (_, r) => 1 / (r + 1) ** (options.skew ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / total) * clustered));
  for (let r = 0; sizes.reduce((a, b) => a + b, 0) < clustered; r++) sizes[r % sizes.length]!++;

  const points: Array<{ vector: Float32Array; label: number }> = [];
  sizes.forEach((size, label) => {
    const center = randomUnitVector(random, options.dim);
    const [low, high] = options.spread;
    const spread = low + (high - low) * random();
    for (const vector of blobAround(random, center, spread, size)) points.push({ vector, label });
  });
  for (let i = 0; i < noise; i++) points.push({ vector: randomUnitVector(random, options.dim), label: -1 });
  for (let i = points.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [points[i], points[j]] = [points[j]!, points[i]!];
  }
  return { vectors: points.map((p) => p.vector), labels: Int32Array.from(points, (p) => p.label) };
}
