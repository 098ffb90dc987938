/**
 * A cluster's own assignment threshold ("reach") for discovery's leftover noise, from the spread
 * of its members: mean − REACH_SIGMAS·σ of their similarity to the centroid, kept within
 * [assignThreshold − REACH_BELOW, assignThreshold + REACH_ABOVE]. A broad topic (news about world
 * events) takes a pool item the model-wide threshold would leave out; a tight one (one event)
 * takes only close items.
 *
 * Chosen with bench/cluster-quality.ts on the five labelled sets in shared/data: with it the worst
 * set's NMI ratio to k-means rose from 0.73 to 0.82 (BENCHMARKS.md, cluster-quality).
 */
export const REACH_SIGMAS = 3;
export const REACH_BELOW = 0.05;
export const REACH_ABOVE = 0.15;

export function clusterReach(similarities: readonly number[], assignThreshold: number): number {
  if (similarities.length === 0) return assignThreshold;
  let sum = 0;
  let squares = 0;
  for (const s of similarities) {
    sum += s;
    squares += s * s;
  }
  const mean = sum / similarities.length;
  const sd = Math.sqrt(Math.max(0, squares / similarities.length - mean * mean));
  return Math.min(
    assignThreshold + REACH_ABOVE,
    Math.max(assignThreshold - REACH_BELOW, mean - REACH_SIGMAS * sd),
  );
}
