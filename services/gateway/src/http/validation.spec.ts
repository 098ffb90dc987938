import { expect } from 'chai';
import { z } from 'zod';
import { ApiError } from '@trendmill/platform';
import { validateInput } from './validation.js';

describe('validateInput', () => {
  const schema = z.object({ limit: z.coerce.number().int().min(1), sort: z.enum(['a', 'b']).default('a') });

  it('returns the parsed value with defaults', () => {
    expect(validateInput(schema, { limit: '5' }, 'query')).to.deep.equal({ limit: 5, sort: 'a' });
  });

  it('throws 422 validation_failed listing every field at fault with where it was', () => {
    try {
      validateInput(schema, { limit: '0', sort: 'c' }, 'query');
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ApiError);
      const error = err as ApiError;
      expect([error.status, error.code]).to.deep.equal([422, 'validation_failed']);
      expect(
        (error.details as Array<{ in: string; path: string }>).map((d) => `${d.in}:${d.path}`),
      ).to.deep.equal(['query:limit', 'query:sort']);
    }
  });

  it('names the whole part when the value is not an object', () => {
    try {
      validateInput(z.object({ a: z.string() }), 'text', 'body');
      expect.fail('should have thrown');
    } catch (err) {
      expect((err as ApiError).details).to.deep.equal([
        { in: 'body', path: '(body)', message: 'Invalid input: expected object, received string' },
      ]);
    }
  });
});
