import { ApiError } from '@trendmill/platform';
import { QueryApiError } from '@trendmill/query';

/**
 * The query service's errors as gateway responses, the same in-process and over HTTP: its own
 * status and code, except its validation errors, which become 422 like the gateway's.
 */
export function translateError(err: unknown): ApiError | undefined {
  if (!(err instanceof QueryApiError)) return undefined;
  if (err.code === 'validation_failed')
    return new ApiError(422, 'validation_failed', err.message, err.details);
  const headers = err.status === 503 ? { 'retry-after': '5' } : undefined;
  return new ApiError(err.status, err.code, err.message, err.details, headers);
}
