import { hdbscan } from '../algorithms/hdbscan/index.js';
import type { GroupOptions } from './contract.js';
import { principalComponents, project } from './principal-components.js';

export type { GroupOptions };

/** Projected dimensions for discovery: 10 under-split stackoverflow (NMI 0.60), 20 over-split searchsnippets (0.40); 15 sits between. */
export const DISCOVERY_DIMENSIONS = 15;

/**
 * Dense groups among the vectors, as lists of row indices (each ascending; groups ordered by their
 * first row). Principal components first, then HDBSCAN (excess of mass) on the projection. Rows in
 * no group are noise. Pure and deterministic.
 */
export function findGroups(vectors: readonly Float32Array[], options: GroupOptions): number[][] {
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
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}
