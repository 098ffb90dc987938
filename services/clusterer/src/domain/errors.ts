export type EngineErrorCode = 'invalid_item' | 'wrong_model' | 'invalid_snapshot';

/** Input the engine cannot take; the service dead-letters the event with this message. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}
