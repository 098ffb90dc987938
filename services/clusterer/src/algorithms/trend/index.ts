export { TrendError, toEpochMs, type TrendErrorCode } from './errors.js';
export { BucketHistogram, HOUR_MS, type BucketHistogramJson } from './bucket-histogram.js';
export {
  velocity,
  acceleration,
  DEFAULT_RECENT_MS,
  DEFAULT_BASELINE_MS,
  type Velocity,
  type VelocityOptions,
} from './velocity.js';
export {
  popularity,
  classifySignals,
  percentile,
  DEFAULT_POPULARITY_HALF_LIFE_MS,
  DEFAULT_NOISE_PERCENTILE,
  DEFAULT_STRONG_PERCENTILE,
  DEFAULT_MIN_STRONG_POPULARITY,
  type PopularityOptions,
  type Signal,
  type SignalClassification,
  type SignalOptions,
  type SignalReading,
  type TrendSubject,
} from './popularity.js';
export {
  emergingScore,
  DEFAULT_MIN_COUNT,
  DEFAULT_MIN_EXPECTED,
  DEFAULT_EMERGING_HALF_LIFE_MS,
  DEFAULT_LOOKBACK_MS,
  type EmergingOptions,
} from './emerging.js';
