/**
 * Seeded synthetic embeddings for tests and bench/vectors.ts: unit vectors around random topic
 * centres on the sphere, like sentence embeddings of a corpus with many topics (items of one
 * topic sit at cosine ~0.8 from its centre; unrelated items near 0). Deterministic for a seed.
 */
export function seededRandom(seed: number): () => number {
  // mulberry32: small, fast, good enough for test data.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

export function randomUnitVector(dim: number, random: () => number): Float32Array {
  const vector = new Float32Array(dim);
  for (let i = 0; i < dim; i++) vector[i] = gaussian(random);
  return normalize(vector);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

export interface ClusteredSphereOptions {
  dim: number;
  clusters: number;
  /** Length of the noise added to a unit centre before normalising: 0.75 puts items at cosine ~0.8 from it. */
  spread?: number;
  seed?: number;
}

export class ClusteredSphere {
  readonly centres: Float32Array[];
  private readonly random: () => number;
  private readonly sigma: number;

  constructor(private readonly options: ClusteredSphereOptions) {
    this.random = seededRandom(options.seed ?? 1);
    this.centres = Array.from({ length: options.clusters }, () => randomUnitVector(options.dim, this.random));
    this.sigma = (options.spread ?? 0.75) / Math.sqrt(options.dim);
  }

  /** The next point: a random topic, its centre plus gaussian noise, normalised. */
  sample(): { vector: Float32Array; cluster: number } {
    const cluster = Math.floor(this.random() * this.options.clusters);
    const centre = this.centres[cluster]!;
    const vector = new Float32Array(this.options.dim);
    for (let i = 0; i < vector.length; i++) vector[i] = centre[i]! + this.sigma * gaussian(this.random);
    return { vector: normalize(vector), cluster };
  }
}
