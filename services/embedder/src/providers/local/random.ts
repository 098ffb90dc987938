import { murmur3 } from './hashing.js';

/**
 * Seeded randomness for the model's fixed parts (the random-feature matrix, the stand-in vectors
 * of unknown words). These numbers are part of the model: changing anything here changes every
 * vector, so it needs a new model id.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller) from a uniform source. */
export function gaussians(random: () => number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** A random unit vector that depends only on `key`: the same word always gets the same one. */
export function hashedUnitVector(key: string, seed: number, dim: number): Float64Array {
  const vector = gaussians(mulberry32(murmur3(key, seed)), dim);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) vector[i]! /= norm;
  return vector;
}
