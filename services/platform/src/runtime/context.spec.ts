import { expect } from 'chai';
import { currentContext, runWithContext } from './context.js';

describe('context', () => {
  it('layers values over the enclosing context for the async call chain only', async () => {
    expect(currentContext()).to.deep.equal({});
    await runWithContext({ correlationId: 'c-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      await runWithContext({ eventId: 'e-2', correlationId: undefined }, async () => {
        expect(currentContext()).to.deep.equal({ correlationId: 'c-1', eventId: 'e-2' });
      });
      expect(currentContext()).to.deep.equal({ correlationId: 'c-1' });
    });
    expect(currentContext()).to.deep.equal({});
  });

  it('keeps concurrent units of work apart', async () => {
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        runWithContext({ correlationId: id }, async () => {
          await new Promise((r) => setTimeout(r, 3 - i));
          return currentContext().correlationId;
        }),
      ),
    );
    expect(seen).to.deep.equal(['a', 'b', 'c']);
  });
});
