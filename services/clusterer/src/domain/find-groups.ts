import { hdbscan } from '../algorithms/hdbscan/index.js';
import { meanPairwiseSimilarity, sumOfVectors } from './cluster-record.js';
import type { GroupOptions } from './contract.js';
import { principalComponents, project } from './principal-components.js';

export type { GroupOptions };

/** Projected dimensions for discovery: 10 under-split stackoverflow (NMI 0.60), 20 over-split searchsnippets (0.40); 15 sits between. */
export const DISCOVERY_DIMENSIONS = 15;

/**
 * A group holding at least this share of a pass's candidates gets a second look (see findGroups).
 * Chosen with bench/cluster-quality.ts (BENCHMARKS.md): 0.04–0.06 all lift stackoverflow from NMI
 * 0.62 to 0.68; at 0.04 searchsnippets falls from 0.476 to 0.463, at 0.06 it is 0.477.
 */
export const SECOND_LOOK_SHARE = 0.06;
/**
 * A second look splits a group only when its own dense groups hold at least this share of its
 * items: a union of topics falls apart into them, while one broad topic gives a few dense cores
 * and mostly noise (agnews' world or business news: 0.51–0.65; stackoverflow's mixed groups 0.69
 * and 0.77). 0.6 split agnews' broad topics (NMI 0.47 → 0.43); 0.7 kept one mixed group whole.
 */
export const SPLIT_COVERAGE = 2 / 3;
/**
 * ...and only when its parts are tighter than it: their mean pairwise similarity (see cohesion)
 * exceeds the group's by at least this much. Halves of one shapeless cloud gain 0.012 (the spec's
 * case), a 10–12 item synthetic topic cut in two 0.03; the groups split in the labelled sets gain
 * 0.065–0.16.
 */
export const SPLIT_TIGHTENING = 0.04;

/**
 * Dense groups among the vectors, as lists of row indices (each ascending; groups ordered by their
 * first row). Principal components first, then HDBSCAN (excess of mass) on the projection. Rows in
 * no group are noise. Pure and deterministic.
 *
 * A group that holds a large share of the candidates (SECOND_LOOK_SHARE, and at least two minimum
 * clusters) is clustered once more on its own principal components: the pass-wide projection
 * spends its few dimensions on what separates the big topics, and several smaller topics that
 * differ along other directions can come out as one group (in stackoverflow, one group took most
 * items of five tags, and the cluster born from it grew to 6,000 items). When the group's own
 * dense groups cover most of it (SPLIT_COVERAGE) and are tighter than it (SPLIT_TIGHTENING), they
 * replace it, and its remaining rows become noise of this pass.
 */
export function findGroups(vectors: readonly Float32Array[], options: GroupOptions): number[][] {
  const n = vectors.length;
  const groups: number[][] = [];
  for (const group of denseGroups(vectors, options)) {
    if (group.length < Math.max(SECOND_LOOK_SHARE * n, 2 * options.minClusterSize)) {
      groups.push(group);
      continue;
    }
    const parts = denseGroups(
      group.map((row) => vectors[row]!),
      options,
    );
    const split = parts.map((part) => part.map((row) => group[row]!));
    const covered = split.reduce((sum, part) => sum + part.length, 0);
    const tighter = () =>
      split.reduce((sum, part) => sum + cohesion(vectors, part) * part.length, 0) / covered >=
      cohesion(vectors, group) + SPLIT_TIGHTENING;
    if (parts.length < 2 || covered < SPLIT_COVERAGE * group.length || !tighter()) groups.push(group);
    else groups.push(...split);
  }
  return groups.sort((a, b) => a[0]! - b[0]!);
}

/**
 * Mean similarity between two different rows (see meanPairwiseSimilarity). Unlike the mean
 * similarity to the centroid it does not favour small sets (a centroid of few points sits close to
 * them by construction), so a group and its parts compare fairly.
 */
function cohesion(vectors: readonly Float32Array[], rows: readonly number[]): number {
  if (rows.length < 2) return 1;
  return meanPairwiseSimilarity(sumOfVectors(rows.map((row) => vectors[row]!)), rows.length);
}

/** One round of principal components + HDBSCAN: the dense groups, each ascending. */
function denseGroups(vectors: readonly Float32Array[], options: GroupOptions): number[][] {
  const n = vectors.length;
  if (n < Math.max(2, options.minClusterSize)) return [];
  const dims = Math.min(options.dimensions, vectors[0]!.length);
  const projection = principalComponents(vectors, dims, { iterations: 3 });
  const projected = projection.components.length < 2 ? vectors : vectors.map((v) => project(projection, v));
  const result = hdbscan(projected, {
    minClusterSize: options.minClusterSize,
    minSamples: Math.max(1, Math.min(options.minSamples, n - 1)),
  });
  const groups = new Map<number, number[]>();
  result.labels.forEach((label, row) => {
    if (label < 0) return;
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(row);
  });
  return [...groups.values()];
}
