import { z } from 'zod';

/** `trendmill.<entity>.<past-tense-verb>.v<N>` */
export const EVENT_TYPE_PATTERN = /^trendmill\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** CloudEvents 1.0 attributes plus the `traceparent` and `correlationid` extensions. */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(200),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must be trendmill.<entity>.<verb>.v<N>'),
  source: z.string().min(1).max(500),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(500),
  datacontenttype: z.literal('application/json'),
  traceparent: z.string().regex(TRACEPARENT, 'must be a W3C traceparent').optional(),
  correlationid: z.string().min(1).max(200).optional(),
  data: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;
