import { z } from 'zod';
import { isoTimestamp, languageCode, resourceId } from './common.js';
import { clusterSummary } from './clusters.js';

export const trendWindow = z.enum(['1h', '6h', '24h', '7d']);
export type TrendWindow = z.infer<typeof trendWindow>;

/** `GET /trends`: live topics that grew most in the window, against the window before it. */
export const trendsQuery = z.object({
  window: trendWindow.default('24h'),
  language: languageCode.optional(),
  source: resourceId.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type TrendsQuery = z.input<typeof trendsQuery>;
export type TrendsParams = z.output<typeof trendsQuery>;

export const trend = z.object({
  cluster: clusterSummary,
  /** Member items published in the window. */
  windowCount: z.number().int().min(0),
  /** Member items published in the window of the same length before it. */
  previousCount: z.number().int().min(0),
  /** (windowCount + 1) / (previousCount + 1): above 1 means growing. */
  growth: z.number(),
  /** The ranking score: growth weighted by volume and the clusterer's emerging score. */
  score: z.number(),
});
export type Trend = z.infer<typeof trend>;

export const trendList = z.object({
  window: trendWindow,
  from: isoTimestamp,
  to: isoTimestamp,
  items: z.array(trend),
});
export type TrendList = z.infer<typeof trendList>;
