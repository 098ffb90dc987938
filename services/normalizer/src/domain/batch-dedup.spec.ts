import { expect } from 'chai';
import fc from 'fast-check';
import { BatchDedup, type DedupDecision, type DedupItem, type StoredMatches } from './batch-dedup.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';
import { InMemoryNearDuplicateStore } from './near-duplicate-store.js';

const STORY =
  'The Federal Reserve left interest rates unchanged on Wednesday citing persistent inflation and a ' +
  'strong labour market while policymakers said they needed greater confidence before lowering costs';
const OTHER =
  'The European Central Bank lowered its key interest rate on Thursday saying inflation had eased ' +
  'enough to begin reducing borrowing costs though it gave no commitment to further cuts';

const dedup = new BatchDedup();

function item(itemId: string, text: string, extra: Partial<DedupItem> = {}): DedupItem {
  return {
    itemId,
    canonicalUrl: undefined,
    contentHash: `hash-of:${text}`,
    fingerprint: dedup.fingerprint('', text),
    ...extra,
  };
}

/** What the Postgres store would answer for `batch`, holding `stored` (all kept). */
function storedMatches(stored: readonly DedupItem[], batch: readonly DedupItem[], decided: string[] = []) {
  const store = new InMemoryNearDuplicateStore();
  for (const s of stored) store.addNow(s.itemId, s.fingerprint.bandKeys, s.fingerprint.signature);
  const exact = {
    decided: new Set(decided),
    byUrl: new Map(stored.flatMap((s) => (s.canonicalUrl ? [[s.canonicalUrl, s.itemId] as const] : []))),
    byHash: new Map(stored.map((s) => [s.contentHash, s.itemId] as const)),
  };
  const candidates = batch.map((b) => store.candidatesNow(b.fingerprint.bandKeys, dedup.maxCandidates));
  return { ...exact, candidates } satisfies StoredMatches;
}

describe('BatchDedup', () => {
  it('finds exact and near duplicates of stored items', () => {
    const original = item('original', STORY, { canonicalUrl: 'https://a.example/story' });
    const batch = [
      item('same-url', OTHER, { canonicalUrl: 'https://a.example/story' }),
      item('same-content', 'anything', { contentHash: original.contentHash }),
      item('repost', `${STORY} originally published at The Ledger`),
      item('other', OTHER),
    ];
    const decisions = dedup.decide(batch, storedMatches([original], batch));
    expect(decisions.slice(0, 2)).to.deep.equal([
      { outcome: 'duplicate', originalItemId: 'original', method: 'url', similarity: 1 },
      { outcome: 'duplicate', originalItemId: 'original', method: 'content-hash', similarity: 1 },
    ]);
    expect(decisions[2]).to.include({
      outcome: 'duplicate',
      originalItemId: 'original',
      method: 'near-duplicate',
    });
    expect(decisions[3]).to.deep.equal({ outcome: 'kept' });
  });

  it('regression: copies within one batch point at the first of them, which is kept', () => {
    const batch = [
      item('first', STORY, { canonicalUrl: 'https://a.example/story' }),
      item('same-url', OTHER, { canonicalUrl: 'https://a.example/story' }),
      item('same-content', 'x', { contentHash: `hash-of:${STORY}` }),
      item('repost', `${STORY} originally published at The Ledger`),
    ];
    const decisions = dedup.decide(batch, storedMatches([], batch));
    expect(decisions.map((d) => d.outcome)).to.deep.equal(['kept', 'duplicate', 'duplicate', 'duplicate']);
    expect(decisions.slice(1).map((d) => d.outcome === 'duplicate' && d.originalItemId)).to.deep.equal([
      'first',
      'first',
      'first',
    ]);
  });

  it('does not match a batch item against an earlier duplicate in the batch, only against kept items', () => {
    const batch = [item('a', STORY), item('b', STORY, { contentHash: 'other' }), item('c', OTHER)];
    const decisions = dedup.decide(batch, storedMatches([], batch));
    expect(decisions[1]).to.include({ originalItemId: 'a' });
    expect(decisions[2]).to.deep.equal({ outcome: 'kept' });
  });

  it('skips items decided before and repeats of an item within the batch', () => {
    const batch = [item('old', STORY), item('new', OTHER), item('new', OTHER)];
    expect(dedup.decide(batch, storedMatches([], batch, ['old'])).map((d) => d.outcome)).to.deep.equal([
      'already-processed',
      'kept',
      'already-processed',
    ]);
  });

  it('compares the candidates one store holding both would return: stored and batch ones cut together', () => {
    // Signatures are names; similarity is looked up. Band keys are given per item.
    const similarity: Record<string, number> = { 'x|a': 0.9, 'x|b': 0.7 };
    const scheme = {
      id: 'test',
      fingerprint: (words: readonly string[]) => ({ signature: words.join(' '), bandKeys: [...words] }),
      similarity: (a: string, b: string) => similarity[`${a}|${b}`] ?? 0,
    };
    const subject = new BatchDedup({ scheme, threshold: 0.5, maxCandidates: 1 });
    const printed = (itemId: string, signature: string, bandKeys: string[]): DedupItem => ({
      itemId,
      canonicalUrl: undefined,
      contentHash: itemId,
      fingerprint: { signature, bandKeys },
    });
    const batch = [printed('b', 'b', ['k1', 'k2']), printed('x', 'x', ['k1', 'k2'])];
    const storedA = { itemId: 'a', signature: 'a', shared: 1 };
    const decisions = subject.decide(batch, {
      decided: new Set(),
      byUrl: new Map(),
      byHash: new Map(),
      candidates: [[storedA], [storedA]],
    });
    // b shares two keys with x, a only one: with one candidate compared, that is b, not the more similar a.
    expect(decisions).to.deep.equal([
      { outcome: 'kept' },
      { outcome: 'duplicate', originalItemId: 'b', method: 'near-duplicate', similarity: 0.7 },
    ]);
  });

  it('decides as deciding the items one by one against one growing store would (property)', () => {
    // Texts drawn from few words, so items often share band keys and near-duplicates are common.
    const words = 'rates inflation bank cuts market labour'.split(' ');
    const text = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
    const arbitraryItem = fc.record({
      id: fc.integer({ min: 0, max: 40 }),
      text,
      url: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryItem, { maxLength: 30 }),
        fc.array(arbitraryItem, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        (before, batch, maxCandidates) => {
          const options = { maxCandidates };
          const toItem = (x: { id: number; text: string; url: string | undefined }, prefix: string) =>
            item(`${prefix}${x.id}`, x.text, { canonicalUrl: x.url });
          // The items stored before: decided one by one, as earlier batches would have.
          const reference = oneByOne(options);
          const storedItems = before.map((x) => toItem(x, 's'));
          storedItems.forEach((s) => reference.decide(s));
          const keptBefore = [...reference.kept.values()];
          const decided = [...new Set(storedItems.map((s) => s.itemId))];
          const batchItems = batch.map((x) => toItem(x, x.id % 3 === 0 ? 's' : 'b'));
          const expected = batchItems.map((b) => reference.decide(b));

          const subject = new BatchDedup(options);
          const store = new InMemoryNearDuplicateStore();
          for (const s of keptBefore) store.addNow(s.itemId, s.fingerprint.bandKeys, s.fingerprint.signature);
          const exact = {
            decided: new Set(decided),
            byUrl: firstBy(keptBefore, (s) => s.canonicalUrl),
            byHash: firstBy(keptBefore, (s) => s.contentHash),
          };
          const candidates = batchItems.map((b) =>
            store.candidatesNow(b.fingerprint.bandKeys, maxCandidates),
          );
          expect(subject.decide(batchItems, { ...exact, candidates })).to.deep.equal(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The decision as the service made it before batching its lookups: item by item, one store. */
function oneByOne(options: { maxCandidates: number }) {
  const store = new InMemoryNearDuplicateStore();
  const index = new NearDuplicateIndex(store, options);
  const decided = new Set<string>();
  const kept = new Map<string, DedupItem>();
  return {
    kept,
    decide(x: DedupItem): DedupDecision {
      if (decided.has(x.itemId)) return { outcome: 'already-processed' };
      decided.add(x.itemId);
      const keptItems = [...kept.values()];
      const byUrl = x.canonicalUrl && keptItems.find((k) => k.canonicalUrl === x.canonicalUrl);
      if (byUrl) return { outcome: 'duplicate', originalItemId: byUrl.itemId, method: 'url', similarity: 1 };
      const byHash = keptItems.find((k) => k.contentHash === x.contentHash);
      if (byHash)
        return { outcome: 'duplicate', originalItemId: byHash.itemId, method: 'content-hash', similarity: 1 };
      const near = x.fingerprint.bandKeys.length
        ? index.duplicateAmong(
            x.fingerprint,
            store.candidatesNow(x.fingerprint.bandKeys, options.maxCandidates),
            x.itemId,
          )
        : undefined;
      if (near)
        return {
          outcome: 'duplicate',
          originalItemId: near.duplicateOf,
          method: 'near-duplicate',
          similarity: near.similarity,
        };
      kept.set(x.itemId, x);
      store.addNow(x.itemId, x.fingerprint.bandKeys, x.fingerprint.signature);
      return { outcome: 'kept' };
    },
  };
}

function firstBy(
  items: readonly DedupItem[],
  key: (item: DedupItem) => string | undefined,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const i of items) {
    const k = key(i);
    if (k && !map.has(k)) map.set(k, i.itemId);
  }
  return map;
}
