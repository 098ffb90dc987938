import { maxWeightAssignment } from './hungarian.js';

/**
 * Clustering-quality metrics with the conventions of SCCL and scikit-learn (see
 * /work/shared/data/README.md), so our numbers sit beside published ones:
 * - ACC: best one-to-one mapping of clusters to classes (Hungarian on the cluster×class counts),
 *   matched items / all items;
 * - NMI: sklearn `normalized_mutual_info_score`, arithmetic-mean normalisation;
 * - ARI: sklearn `adjusted_rand_score`.
 * Labels may be any strings or numbers; only equality matters.
 */
export type Label = string | number;

export interface ClusteringScores {
  acc: number;
  nmi: number;
  ari: number;
}

/** Counts of items per (class, cluster) pair, with each distinct label numbered densely. */
export interface Contingency {
  n: number;
  classes: number;
  clusters: number;
  /** counts[class][cluster] */
  counts: number[][];
}

export function contingency(truth: readonly Label[], predicted: readonly Label[]): Contingency {
  if (truth.length !== predicted.length)
    throw new RangeError(`label arrays differ in length: ${truth.length} vs ${predicted.length}`);
  const classIds = dense(truth);
  const clusterIds = dense(predicted);
  const counts = Array.from({ length: classIds.size }, () => new Array<number>(clusterIds.size).fill(0));
  for (let i = 0; i < truth.length; i++) counts[classIds.get(truth[i]!)!]![clusterIds.get(predicted[i]!)!]!++;
  return { n: truth.length, classes: classIds.size, clusters: clusterIds.size, counts };
}

export function clusteringScores(truth: readonly Label[], predicted: readonly Label[]): ClusteringScores {
  const table = contingency(truth, predicted);
  return { acc: accuracy(table), nmi: nmi(table), ari: ari(table) };
}

/** Unsupervised accuracy: the share of items on the diagonal of the best cluster→class mapping. */
export function accuracy(table: Contingency): number {
  if (table.n === 0) return 0;
  const byCluster = Array.from({ length: table.clusters }, (_, c) => table.counts.map((row) => row[c]!));
  const mapping = maxWeightAssignment(byCluster);
  let matched = 0;
  mapping.forEach((cls, cluster) => {
    if (cls >= 0) matched += byCluster[cluster]![cls]!;
  });
  return matched / table.n;
}

/** Normalised mutual information, MI / mean(H(classes), H(clusters)), as sklearn computes it. */
export function nmi(table: Contingency): number {
  // sklearn: two single-cluster (or empty) labelings are a perfect match.
  if (table.classes === table.clusters && table.classes <= 1) return 1;
  const { classTotals, clusterTotals } = totals(table);
  const n = table.n;
  let mi = 0;
  table.counts.forEach((row, i) =>
    row.forEach((count, j) => {
      if (count > 0) mi += (count / n) * Math.log((count * n) / (classTotals[i]! * clusterTotals[j]!));
    }),
  );
  mi = Math.max(mi, 0);
  if (mi === 0) return 0;
  const normaliser = (entropy(classTotals, n) + entropy(clusterTotals, n)) / 2;
  return mi / Math.max(normaliser, Number.EPSILON);
}

/** Adjusted Rand index via the pair confusion matrix (sklearn ≥ 1.0; equal to the older formula). */
export function ari(table: Contingency): number {
  const { classTotals, clusterTotals } = totals(table);
  const n = table.n;
  let sumSquares = 0;
  for (const row of table.counts) for (const count of row) sumSquares += count * count;
  const classSquares = classTotals.reduce((s, a) => s + a * a, 0);
  const clusterSquares = clusterTotals.reduce((s, b) => s + b * b, 0);
  const tp = sumSquares - n;
  const fp = clusterSquares - sumSquares; // same cluster, different class
  const fn = classSquares - sumSquares; // same class, different cluster
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

function dense(labels: readonly Label[]): Map<Label, number> {
  const ids = new Map<Label, number>();
  for (const label of labels) if (!ids.has(label)) ids.set(label, ids.size);
  return ids;
}

function totals(table: Contingency) {
  const classTotals = table.counts.map((row) => row.reduce((s, c) => s + c, 0));
  const clusterTotals = new Array<number>(table.clusters).fill(0);
  for (const row of table.counts) row.forEach((count, j) => (clusterTotals[j]! += count));
  return { classTotals, clusterTotals };
}

function entropy(sizes: readonly number[], n: number): number {
  let h = 0;
  for (const size of sizes) if (size > 0) h -= (size / n) * Math.log(size / n);
  return h;
}
