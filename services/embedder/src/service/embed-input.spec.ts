import { expect } from 'chai';
import { embeddingInput } from './embed-input.js';
import { eventIdOf } from './embedder-service.js';

describe('embeddingInput', () => {
  it('joins title and body, without repeating a title the body starts with', () => {
    expect(embeddingInput({ title: 'Rates hold', text: 'The Fed held rates.' })).to.equal(
      'Rates hold\nThe Fed held rates.',
    );
    expect(embeddingInput({ title: 'Rates hold', text: 'Rates hold, said the Fed.' })).to.equal(
      'Rates hold, said the Fed.',
    );
    expect(embeddingInput({ title: '  Only a title ', text: '   ' })).to.equal('Only a title');
  });

  it('cuts long input at a word boundary within the limit', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const cut = embeddingInput({ title: '', text }, 100);
    expect(cut.length).to.be.at.most(100);
    expect(text.startsWith(cut)).to.equal(true);
    expect(text[cut.length]).to.equal(' ');
  });
});

describe('eventIdOf', () => {
  it('is a stable UUID per (item, model, input) and differs when any of them changes', () => {
    const id = eventIdOf('item-1', 'model-a', 'h');
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdOf('item-1', 'model-a', 'h')).to.equal(id);
    expect(eventIdOf('item-1', 'model-b', 'h')).to.not.equal(id);
    expect(eventIdOf('item-2', 'model-a', 'h')).to.not.equal(id);
    expect(eventIdOf('item-1', 'model-a', 'h2')).to.not.equal(id);
  });
});
