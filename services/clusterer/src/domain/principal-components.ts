/**
 * Principal components of a set of vectors, by randomised subspace iteration (Halko, Martinsson &
 * Tropp 2011, algorithm 4.4): discovery projects its input onto the top components before density
 * clustering, because HDBSCAN's density estimates degrade in hundreds of dimensions (almost every
 * short text looks equally far from every other), which is why BERTopic reduces dimensions first.
 * Deterministic: the start basis comes from a seeded generator.
 */
export interface Projection {
  /** Components (rows of length dim), strongest first. */
  components: Float64Array[];
  mean: Float64Array;
}

export function principalComponents(
  vectors: readonly Float32Array[],
  count: number,
  options: { iterations?: number; seed?: number } = {},
): Projection {
  const n = vectors.length;
  const dim = vectors[0]?.length ?? 0;
  const rank = Math.max(0, Math.min(count, dim, n));
  const mean = new Float64Array(dim);
  for (const vector of vectors) for (let d = 0; d < dim; d++) mean[d]! += vector[d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, n);
  if (rank === 0) return { components: [], mean };

  // Oversampling by a few columns makes the leading components converge faster.
  const width = Math.min(dim, rank + 8);
  let basis = startBasis(width, dim, options.seed ?? 0x5eed);
  const weights = new Float64Array(width);
  const centred = new Float64Array(dim);
  for (let round = 0; round < (options.iterations ?? 4); round++) {
    // scores = (X − mean) · basis; basis = (X − mean)ᵀ · scores, then re-orthonormalised. Row by
    // row: its scores on every column, then its share of every new column, with (x − mean)
    // computed once per row rather than once per column. Each sum adds the same terms in the same
    // order as column by column would, so the result is the same to the bit.
    const shifts = basis.map((q) => meanDot(mean, q));
    const next = Array.from({ length: width }, () => new Float64Array(dim));
    for (let i = 0; i < n; i++) {
      const vector = vectors[i]!;
      dots(vector, basis, weights);
      for (let j = 0; j < width; j++) weights[j]! -= shifts[j]!;
      for (let d = 0; d < dim; d++) centred[d] = vector[d]! - mean[d]!;
      let j = 0;
      for (; j + 4 <= width; j += 4) {
        const [wa, wb, wc, we] = [weights[j]!, weights[j + 1]!, weights[j + 2]!, weights[j + 3]!];
        // A zero weight adds nothing (not even a -0 + 0): those four go one by one below.
        if (wa === 0 || wb === 0 || wc === 0 || we === 0) break;
        const [a, b, c, e] = [next[j]!, next[j + 1]!, next[j + 2]!, next[j + 3]!];
        for (let d = 0; d < dim; d++) {
          const x = centred[d]!;
          a[d]! += wa * x;
          b[d]! += wb * x;
          c[d]! += wc * x;
          e[d]! += we * x;
        }
      }
      for (; j < width; j++) {
        const weight = weights[j]!;
        if (weight === 0) continue;
        const row = next[j]!;
        for (let d = 0; d < dim; d++) row[d]! += weight * centred[d]!;
      }
    }
    orthonormalise(next);
    basis = next;
  }
  // Order by explained variance (the last scores were computed with the previous basis; recompute).
  const shifts = basis.map((q) => meanDot(mean, q));
  const variance = new Float64Array(width);
  for (const vector of vectors) {
    dots(vector, basis, weights);
    for (let j = 0; j < width; j++) variance[j]! += (weights[j]! - shifts[j]!) ** 2;
  }
  const order = basis.map((_, j) => j).sort((a, b) => variance[b]! - variance[a]! || a - b);
  return { components: order.slice(0, rank).map((j) => basis[j]!), mean };
}

/** Coordinates of a vector in the projection, scaled to unit length (HDBSCAN takes unit vectors). */
export function project(projection: Projection, vector: Float32Array): Float32Array {
  const { components, mean } = projection;
  const out = new Float32Array(components.length);
  let norm = 0;
  for (let j = 0; j < components.length; j++) {
    const q = components[j]!;
    let sum = 0;
    for (let d = 0; d < q.length; d++) sum += (vector[d]! - mean[d]!) * q[d]!;
    out[j] = sum;
    norm += sum * sum;
  }
  norm = Math.sqrt(norm);
  if (norm === 0) {
    // A vector exactly at the mean has no direction; any fixed one keeps the output a unit vector.
    if (out.length > 0) out[0] = 1;
    return out;
  }
  for (let j = 0; j < out.length; j++) out[j]! /= norm;
  return out;
}

function dot(a: Float32Array, b: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < b.length; d++) sum += a[d]! * b[d]!;
  return sum;
}

/**
 * out[j] = vector · columns[j], four columns per pass over the vector (one load of each value for
 * four products); each sum still adds its terms in order d = 0, 1, …, exactly as dot does.
 */
function dots(vector: Float32Array, columns: readonly Float64Array[], out: Float64Array): void {
  let j = 0;
  for (; j + 4 <= columns.length; j += 4) {
    const a = columns[j]!;
    const b = columns[j + 1]!;
    const c = columns[j + 2]!;
    const e = columns[j + 3]!;
    let sa = 0;
    let sb = 0;
    let sc = 0;
    let se = 0;
    for (let d = 0; d < vector.length; d++) {
      const x = vector[d]!;
      sa += x * a[d]!;
      sb += x * b[d]!;
      sc += x * c[d]!;
      se += x * e[d]!;
    }
    out[j] = sa;
    out[j + 1] = sb;
    out[j + 2] = sc;
    out[j + 3] = se;
  }
  for (; j < columns.length; j++) out[j] = dot(vector, columns[j]!);
}

/** mean · q, summed as dot sums. */
function meanDot(mean: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < q.length; d++) sum += mean[d]! * q[d]!;
  return sum;
}

/** The iteration's first basis: `width` orthonormal columns of length `dim` from a seeded generator. */
export function startBasis(width: number, dim: number, seed: number): Float64Array[] {
  const random = seeded(seed);
  const basis = Array.from({ length: width }, () => Float64Array.from({ length: dim }, () => random() - 0.5));
  orthonormalise(basis);
  return basis;
}

/** Modified Gram–Schmidt; a column that collapses (rank deficiency) becomes zero. */
export function orthonormalise(columns: Float64Array[]): void {
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j]!;
    for (let p = 0; p < j; p++) {
      const previous = columns[p]!;
      let sum = 0;
      for (let d = 0; d < column.length; d++) sum += column[d]! * previous[d]!;
      for (let d = 0; d < column.length; d++) column[d]! -= sum * previous[d]!;
    }
    let norm = 0;
    for (const value of column) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm < 1e-12) column.fill(0);
    else for (let d = 0; d < column.length; d++) column[d]! /= norm;
  }
}

/** mulberry32: small, seedable, good enough for a start basis. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
