export type ImportErrorCode =
  /** Nothing answered at the collector's URL (before anything was sent). */
  | 'unreachable'
  /** 401/403: no API key, or not one the collector knows. */
  | 'unauthorized'
  /** 413 for a request holding a single line: the collector's body limit is below that line. */
  | 'payload_too_large'
  /** Transient failures (network, 5xx, 429) outlasted every retry. */
  | 'unavailable'
  /** The collector refused the request for a reason retrying cannot fix (4xx). */
  | 'refused'
  /** The answer was not what the collector's API promises. */
  | 'bad_response'
  /** The user stopped the import (Ctrl-C). */
  | 'interrupted';

/** A reason the import cannot go on; its message is one line, meant for the person running it. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
