import { TimeSlice } from '@trendmill/platform';
import { type EmbeddingProvider, InvalidEmbeddingInputError, normalizeInPlace } from '../port.js';
import { KernelFeatures } from './kernel-features.js';
import { Lexicon } from './lexicon.js';
import { hashedUnitVector } from './random.js';
import { tokenize } from './tokenize.js';
import { loadWordVectors, type WordVectors } from './word-vectors.js';

/**
 * The built-in offline embedder: no download, no network, deterministic, the same for every
 * corpus (nothing is fitted on the texts it embeds). A text's vector joins two parts, each
 * L2-normalised, then the whole normalised again:
 *
 * 1. meaning (100 dims): the SIF-weighted mean of pretrained word vectors (a/(a+p(w)), p from a
 *    Zipf prior on the vocabulary's frequency order), so frequent words count for little;
 * 2. words (412 dims): IDF-weighted (ln rank) sums of random Fourier features of the word
 *    vectors for a peaked Gaussian kernel, which match texts by their rarer words and give some
 *    credit to close synonyms (see kernel-features.ts), sublinear in repeated words.
 *
 * The two capture different things: (1) the broad topic (sports vs. business news), (2) the
 * specific subject (which product, library, event). On the five labelled sets in shared/data,
 * k-means over these vectors beats TF-IDF+LSA+k-means fitted on each set (bench/embed-quality.ts).
 *
 * Anything that changes the output for some input (weights, seeds, tokenizer, dimensions) must
 * come with a new MODEL id: vectors of different models are never mixed.
 */
export const LOCAL_MODEL = 'trendmill-local-v1';

const MEANING_DIM = 100;
const WORDS_DIM = 412;
const KERNEL_GAMMA = 10;
const KERNEL_SEED = 0x7e4d1;
const UNKNOWN_WORD_SEED = 0x51f3;
/** Unknown words stand in the meaning part with a random vector about as long as a word vector. */
const UNKNOWN_WORD_NORM = 5;
/** Texts without any token (empty, whitespace only) all get this one fixed direction. */
const EMPTY_TEXT_KEY = '\u0000empty';

export interface LocalProviderOptions {
  /** Most texts per `embed` call. Default 256. */
  maxBatch?: number;
  /** Word vectors to use instead of the installed package's (tests). */
  wordVectors?: () => Promise<WordVectors>;
}

interface Model {
  lexicon: Lexicon;
  kernel: KernelFeatures;
}

export class LocalEmbeddingProvider implements EmbeddingProvider {
  readonly kind = 'local';
  readonly model = LOCAL_MODEL;
  readonly dim = MEANING_DIM + WORDS_DIM;
  readonly maxBatch: number;
  private model$: Promise<Model> | undefined;
  private closed = false;
  private readonly wordVectors: () => Promise<WordVectors>;

  constructor(options: LocalProviderOptions = {}) {
    this.maxBatch = options.maxBatch ?? 256;
    this.wordVectors = options.wordVectors ?? loadWordVectors;
  }

  /** Loads the word vectors now rather than on the first `embed` (start-up, benchmarks). */
  async warmUp(): Promise<void> {
    await this.load();
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.closed) throw new Error('the local embedding provider is closed');
    if (texts.length > this.maxBatch)
      throw new InvalidEmbeddingInputError(
        `batch of ${texts.length} texts exceeds maxBatch ${this.maxBatch}`,
      );
    texts.forEach((text, i) => {
      if (typeof text !== 'string') throw new InvalidEmbeddingInputError(`text ${i} is not a string`);
    });
    const model = await this.load();
    const vectors: Float32Array[] = [];
    // A batch of long posts takes a while; requests sharing the event loop get turns between texts.
    const slice = new TimeSlice();
    for (const text of texts) {
      const turn = slice.yieldIfDue();
      if (turn) await turn;
      options.signal?.throwIfAborted();
      vectors.push(embedText(text, model));
    }
    return vectors;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private load(): Promise<Model> {
    this.model$ ??= this.wordVectors().then(
      (words) => {
        if (words.dim !== MEANING_DIM)
          throw new Error(`word vectors have ${words.dim} dimensions; ${LOCAL_MODEL} needs ${MEANING_DIM}`);
        return {
          lexicon: new Lexicon(words),
          kernel: new KernelFeatures(MEANING_DIM, WORDS_DIM, KERNEL_GAMMA, KERNEL_SEED),
        };
      },
      (err: unknown) => {
        this.model$ = undefined;
        throw err;
      },
    );
    return this.model$;
  }
}

export function createLocalProvider(options?: LocalProviderOptions): LocalEmbeddingProvider {
  return new LocalEmbeddingProvider(options);
}

function embedText(text: string, { lexicon, kernel }: Model): Float32Array {
  const tokens = tokenize(text);
  const out = new Float32Array(MEANING_DIM + WORDS_DIM);
  if (tokens.length === 0) {
    out.set(hashedUnitVector(EMPTY_TEXT_KEY, UNKNOWN_WORD_SEED, out.length));
    return normalizeInPlace(out);
  }
  const meaning = new Float64Array(MEANING_DIM);
  const counts = new Map<string, number>();
  const entries = new Map<string, ReturnType<Lexicon['entry']>>();
  for (const token of tokens) {
    let entry = entries.get(token);
    if (!entry) {
      entry = lexicon.entry(token);
      entries.set(token, entry);
    }
    counts.set(token, (counts.get(token) ?? 0) + 1);
    const weight = lexicon.sifWeight(entry.rank);
    if (entry.vector) {
      for (let d = 0; d < MEANING_DIM; d++) meaning[d]! += weight * entry.vector[d]!;
    } else {
      const stand = hashedUnitVector(token, UNKNOWN_WORD_SEED, MEANING_DIM);
      for (let d = 0; d < MEANING_DIM; d++) meaning[d]! += weight * UNKNOWN_WORD_NORM * stand[d]!;
    }
  }
  const words = new Float64Array(WORDS_DIM);
  for (const [token, count] of counts) {
    const entry = entries.get(token)!;
    const weight = lexicon.idfWeight(entry.rank) * (1 + Math.log(count));
    const features = entry.vector
      ? kernel.known(token, entry.vector, lexicon.commonDirection)
      : kernel.unknown(token, UNKNOWN_WORD_SEED);
    for (let j = 0; j < WORDS_DIM; j++) words[j]! += weight * features[j]!;
  }
  writeUnit(meaning, out, 0);
  writeUnit(words, out, MEANING_DIM);
  return normalizeInPlace(out);
}

/** Copies `part` into `out` at `offset`, scaled to unit length (a zero part stays zero). */
function writeUnit(part: Float64Array, out: Float32Array, offset: number): void {
  let norm = 0;
  for (const value of part) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return;
  for (let i = 0; i < part.length; i++) out[offset + i] = part[i]! / norm;
}
