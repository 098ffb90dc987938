/** One labelled observation: an item's cosine similarity to a cluster centroid, and whether it belongs. */
export interface SimilaritySample {
  similarity: number;
  /** True when the item's label is the centroid's label. */
  member: boolean;
}

export interface Calibration {
  threshold: number;
  /** Share of members at or above the threshold. */
  recall: number;
  /** Share of non-members below it. */
  specificity: number;
}

/**
 * The assignment threshold that best separates members from non-members: the cut maximising
 * Youden's J (recall + specificity − 1) over every observed similarity, i.e. the point where
 * joining a wrong cluster and waiting in the pool needlessly are balanced. Ties keep the higher
 * threshold (a pooled item can still be discovered; a wrongly assigned one stays wrong). Used
 * offline to derive the per-model defaults in settings.ts from labelled data; pure.
 */
export function calibrateThreshold(samples: readonly SimilaritySample[]): Calibration {
  const members = samples.filter((s) => s.member).length;
  const others = samples.length - members;
  if (members === 0 || others === 0)
    throw new RangeError('calibration needs both member and non-member samples');
  for (const sample of samples)
    if (!Number.isFinite(sample.similarity)) throw new RangeError('similarities must be finite');
  // Descending: sweeping the cut down admits one more sample at a time.
  const sorted = [...samples].sort((a, b) => b.similarity - a.similarity);
  let best: Calibration = { threshold: sorted[0]!.similarity + Number.EPSILON, recall: 0, specificity: 1 };
  let bestJ = 0;
  let admittedMembers = 0;
  let admittedOthers = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.member) admittedMembers++;
    else admittedOthers++;
    // Only cut between distinct values: samples with equal similarity are on the same side.
    if (i + 1 < sorted.length && sorted[i + 1]!.similarity === sorted[i]!.similarity) continue;
    const recall = admittedMembers / members;
    const specificity = 1 - admittedOthers / others;
    const j = recall + specificity - 1;
    if (j > bestJ) {
      bestJ = j;
      best = { threshold: sorted[i]!.similarity, recall, specificity };
    }
  }
  return best;
}
