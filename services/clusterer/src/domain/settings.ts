import type { EngineSettings } from './contract.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Assignment thresholds per embedding model: the cosine similarity between an item and a cluster
 * centroid above which the item is more likely a member than not.
 *
 * trendmill-local-v1: from the five labelled sets in shared/data (agnews-8000, biomedical,
 * searchsnippets, stackoverflow, tweet), every item's similarity to its own class centroid
 * (leave-one-out) and to the nearest other class centroid, cut by `calibrateThreshold` (Youden's
 * J); per set 0.573, 0.635, 0.550, 0.633, 0.569. Class centroids are broader than topics, so the
 * per-set cuts are an upper bound for a topic; we take the lowest set's cut, 0.55, so a wider topic
 * still gathers its members.
 * Other models start from a conservative default until calibrated the same way.
 */
export const CALIBRATED_ASSIGN_THRESHOLDS: Readonly<Record<string, number>> = {
  'trendmill-local-v1': 0.55,
};

/** For a model nobody calibrated: sentence-embedding models typically put topic members above ~0.6. */
export const UNCALIBRATED_ASSIGN_THRESHOLD = 0.6;

export function defaultEngineSettings(
  model: string,
  overrides: Partial<EngineSettings> = {},
): EngineSettings {
  const assignThreshold = CALIBRATED_ASSIGN_THRESHOLDS[model] ?? UNCALIBRATED_ASSIGN_THRESHOLD;
  const settings: EngineSettings = {
    model,
    assignThreshold,
    minClusterSize: 10,
    minSamples: 5,
    discoveryWindowMs: 3 * DAY_MS,
    discoveryPoolTrigger: 200,
    // Every labelled set in shared/data fits (≤ 20k items), so their figures do not depend on it;
    // a pass over 20k takes ~10 s here (bench/hdbscan.ts: 5.8 s for HDBSCAN alone).
    discoveryMaxItems: 20_000,
    // Centroids of one topic split in two sit far closer than the threshold for one item; at +0.3
    // (0.85 for the local model) distinct but related topics merged (biomedical, searchsnippets).
    mergeThreshold: Math.min(0.95, assignThreshold + 0.35),
    retireAfterMs: 7 * DAY_MS,
    bucketMs: HOUR_MS,
    ...overrides,
    ...(overrides.model === undefined ? {} : { model: overrides.model }),
  };
  validateSettings(settings);
  return settings;
}

/** How long an item stays in the pool: the discovery window, or the retire horizon when longer. */
export function poolRetentionMs(settings: EngineSettings): number {
  return Math.max(settings.discoveryWindowMs, settings.retireAfterMs);
}

export function validateSettings(settings: EngineSettings): void {
  const problems: string[] = [];
  const unit = (name: keyof EngineSettings, low: number, high: number) => {
    const value = settings[name];
    if (typeof value !== 'number' || !(value >= low && value <= high))
      problems.push(`${name} must be in [${low}, ${high}], got ${String(value)}`);
  };
  const whole = (name: keyof EngineSettings, min: number) => {
    const value = settings[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      problems.push(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  };
  if (typeof settings.model !== 'string' || settings.model === '') problems.push('model must be named');
  unit('assignThreshold', -1, 1);
  unit('mergeThreshold', -1, 1);
  whole('minClusterSize', 2);
  whole('minSamples', 1);
  whole('discoveryPoolTrigger', 1);
  whole('discoveryMaxItems', 2);
  whole('discoveryWindowMs', 0);
  whole('retireAfterMs', 1);
  whole('bucketMs', 1);
  if (problems.length > 0) throw new RangeError(`invalid clusterer settings: ${problems.join('; ')}`);
}

/**
 * Defaults scaled to the volume of a stream: about `itemsPerWindow` items inside one discovery
 * window. A topic is a topic relative to the volume around it (BERTopic likewise advises a larger
 * min_cluster_size for larger corpora), so the smallest cluster grows with √volume, density is
 * estimated over half of that, and discovery waits for a tenth of the window to be pooled, so it
 * runs about ten times per window whatever the volume. Chosen with bench/cluster-quality.ts on the
 * five labelled sets (2.5k–20k items); the same rule for every set.
 */
export function settingsForVolume(
  model: string,
  itemsPerWindow: number,
  overrides: Partial<EngineSettings> = {},
): EngineSettings {
  if (!(itemsPerWindow >= 1)) throw new RangeError(`itemsPerWindow must be ≥ 1, got ${itemsPerWindow}`);
  const minClusterSize = Math.max(5, Math.round(Math.sqrt(itemsPerWindow) / 12));
  return defaultEngineSettings(model, {
    minClusterSize,
    minSamples: Math.max(3, Math.round(minClusterSize / 2)),
    discoveryPoolTrigger: Math.max(200, Math.round(itemsPerWindow / 10)),
    ...overrides,
  });
}
