import { expect } from 'chai';
import { FetchError, type FetchErrorCode } from '../../../src/fetch/index.js';

/** Awaits a fetch that must fail with `code`, and returns the error for further checks. */
export async function expectFetchError(promise: Promise<unknown>, code: FetchErrorCode): Promise<FetchError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FetchError);
    expect((error as FetchError).code, (error as FetchError).message).to.equal(code);
    return error as FetchError;
  }
  throw new Error(`expected FetchError(${code}), got ${JSON.stringify(outcome)?.slice(0, 200)}`);
}
