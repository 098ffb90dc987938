export type * from './contract.js';
export {
  createClusterEngine,
  REPRESENTATIVES,
  KEYWORDS,
  PROFILE_MATCH,
  type EngineOptions,
} from './engine.js';
export {
  defaultEngineSettings,
  settingsForVolume,
  validateSettings,
  poolRetentionMs,
  CALIBRATED_ASSIGN_THRESHOLDS,
  UNCALIBRATED_ASSIGN_THRESHOLD,
} from './settings.js';
export { calibrateThreshold, type Calibration, type SimilaritySample } from './calibration.js';
export {
  CentroidIndex,
  DEFAULT_EXACT_BELOW,
  type CentroidIndexOptions,
  type Nearest,
} from './centroid-index.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export { trendFigures, EMERGING_SCORE, FADING_RATE_SHARE, type TrendFigures } from './cluster-trend.js';
export { findGroups, DISCOVERY_DIMENSIONS, type GroupOptions } from './find-groups.js';
export { principalComponents, project, type Projection } from './principal-components.js';
