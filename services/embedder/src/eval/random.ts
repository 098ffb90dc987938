/**
 * A seeded PRNG (mulberry32): evaluation runs must be repeatable, so every random choice in
 * k-means (initial centres, restarts) comes from one of these, never from Math.random.
 */
export type Random = () => number;

/** Uniform floats in [0, 1) from a 32-bit seed; the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
