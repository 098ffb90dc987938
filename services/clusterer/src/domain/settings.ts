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

/** The smallest settings `settingsForVolume` gives, at any volume. */
export const VOLUME_FLOOR = { minClusterSize: 5, minSamples: 3 } as const;

export function defaultEngineSettings(
  model: string,
  overrides: Partial<EngineSettings> = {},
): EngineSettings {
  const assignThreshold = CALIBRATED_ASSIGN_THRESHOLDS[model] ?? UNCALIBRATED_ASSIGN_THRESHOLD;
  const settings: EngineSettings = {
    model,
    assignThreshold,
    // Floors: a pass over more candidates asks for larger clusters (see `passDensity`).
    minClusterSize: VOLUME_FLOOR.minClusterSize,
    minSamples: VOLUME_FLOOR.minSamples,
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

/** The volume rule: smallest cluster √volume / 12, density estimated over half of that. */
function sizesForVolume(items: number): { minClusterSize: number; minSamples: number } {
  const minClusterSize = Math.max(VOLUME_FLOOR.minClusterSize, Math.round(Math.sqrt(items) / 12));
  return { minClusterSize, minSamples: Math.max(VOLUME_FLOOR.minSamples, Math.round(minClusterSize / 2)) };
}

/**
 * The density parameters of one discovery pass over `candidates` items: the settings' own, raised
 * to what the volume rule asks for that many items. A service does not know its stream's volume in
 * advance, but each pass sees the window's: a fixed minClusterSize either lets a big window's
 * noise form clusters or, on a small stream (the sample week: 160 posts on nine topics, 8–35
 * each), makes density clustering glue two topics of 8 into one group that then takes every topic
 * near it.
 */
export function passDensity(
  settings: Pick<EngineSettings, 'minClusterSize' | 'minSamples'>,
  candidates: number,
): { minClusterSize: number; minSamples: number } {
  const rule = sizesForVolume(Math.max(1, candidates));
  return {
    minClusterSize: Math.max(settings.minClusterSize, rule.minClusterSize),
    minSamples: Math.max(settings.minSamples, rule.minSamples),
  };
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
  return defaultEngineSettings(model, {
    ...sizesForVolume(itemsPerWindow),
    discoveryPoolTrigger: Math.max(200, Math.round(itemsPerWindow / 10)),
    ...overrides,
  });
}
