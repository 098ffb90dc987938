import { expect } from 'chai';
import { labelFromFileName, SOURCE_LABEL } from './source-label.js';

describe('labelFromFileName', () => {
  it('uses the base name when it already fits the label rule', () => {
    expect(labelFromFileName('/data/exports/posts-2026.jsonl')).to.equal('posts-2026.jsonl');
  });

  it('replaces runs of other characters by "-" and drops a leading non-alphanumeric', () => {
    expect(labelFromFileName('./My Posts (Nov).jsonl')).to.equal('My-Posts-Nov-.jsonl');
    expect(labelFromFileName('.hidden.jsonl')).to.equal('hidden.jsonl');
    expect(labelFromFileName('Café crème.jsonl')).to.equal('Caf-cr-me.jsonl');
  });

  it('cuts long names to 100 characters and falls back to "import" when nothing usable is left', () => {
    const label = labelFromFileName(`${'a'.repeat(150)}.jsonl`);
    expect(label).to.have.length(100);
    expect(SOURCE_LABEL.test(label)).to.equal(true);
    expect(labelFromFileName('___.')).to.equal('import');
    expect(labelFromFileName('日本語')).to.equal('import');
  });
});
