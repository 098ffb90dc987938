import { emergingScore, velocity, type BucketHistogram } from '../algorithms/trend/index.js';
import type { ClusterStatus } from './contract.js';

/** An emerging score at least this high (a burst about 2× above what the cluster's past predicts) reads as emerging. */
export const EMERGING_SCORE = 4;
/** Below this share of its baseline rate a cluster is fading. */
export const FADING_RATE_SHARE = 0.5;

export interface TrendFigures {
  status: ClusterStatus;
  velocity: number;
  emergingScore: number;
}

/**
 * A live cluster's trend at `now`: velocity (items per hour over the recent window), the decayed
 * emerging score (algorithms/trend), and the status they imply: emerging while a burst is fresh,
 * fading once it runs at under half its baseline rate (or has stopped), otherwise active.
 * Figures are rounded so that announcing them only when they change is meaningful.
 */
export function trendFigures(histogram: BucketHistogram, now: number): TrendFigures {
  const rate = velocity(histogram, now);
  const score = emergingScore(histogram, now);
  const status: ClusterStatus =
    score >= EMERGING_SCORE
      ? 'emerging'
      : rate.perHour < FADING_RATE_SHARE * rate.baselinePerHour ||
          (rate.perHour === 0 && rate.baselinePerHour === 0)
        ? 'fading'
        : 'active';
  return { status, velocity: round(rate.perHour, 2), emergingScore: round(score, 1) };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
