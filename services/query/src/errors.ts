/**
 * The one error type the QueryApi throws, in-process and over HTTP alike, so the gateway maps it to
 * a response the same way in both modes: `status` and `code` are what the HTTP error body carries.
 */
export type QueryErrorCode =
  | 'validation_failed'
  | 'invalid_cursor'
  | 'cluster_not_found'
  | 'item_not_found'
  | 'embedder_unavailable'
  | 'model_mismatch'
  | 'query_unavailable'
  | 'unauthorized'
  | 'internal';

export class QueryApiError extends Error {
  override readonly name = 'QueryApiError';
  constructor(
    readonly status: number,
    readonly code: QueryErrorCode | (string & {}),
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function clusterNotFound(id: string): QueryApiError {
  return new QueryApiError(404, 'cluster_not_found', `no cluster ${JSON.stringify(id)}`);
}

export function itemNotFound(id: string): QueryApiError {
  return new QueryApiError(404, 'item_not_found', `no item ${JSON.stringify(id)}`);
}

export function invalidCursor(): QueryApiError {
  return new QueryApiError(
    400,
    'invalid_cursor',
    'the cursor is not one this list issued; start again without it',
  );
}
