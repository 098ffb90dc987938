export type TransformersErrorCode =
  | 'invalid_options'
  | 'model_dir_missing'
  | 'model_dir_invalid'
  | 'model_files_missing'
  | 'package_missing'
  | 'package_broken'
  | 'model_load_failed'
  | 'unexpected_output';

/** Why the local transformers.js provider cannot start or answer; `code` says which step failed. */
export class TransformersProviderError extends Error {
  override readonly name = 'TransformersProviderError';
  constructor(
    message: string,
    readonly code: TransformersErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
