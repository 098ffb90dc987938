import { fmix32, hex32, murmur32 } from './hash32.js';

/**
 * MinHash signatures and LSH banding over a set of shingles.
 *
 * Each of the `hashes` slots keeps the minimum of one hash function over the set; two sets agree in
 * a slot with probability equal to their Jaccard similarity. The i-th hash function is the bijection
 * fmix32(h ^ seed_i) applied to one base hash h of the shingle, so a shingle is hashed only once.
 */
const EMPTY = 0xffffffff;

export function minHash(shingles: Iterable<string>, hashes: number): Uint32Array {
  const seeds = seedsFor(hashes);
  const signature = new Uint32Array(hashes).fill(EMPTY);
  for (const shingle of shingles) {
    const base = murmur32(shingle, 0x2545f491);
    for (let i = 0; i < hashes; i++) {
      const value = fmix32(base ^ seeds[i]!);
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}

/** Share of slots that agree: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || a.length !== b.length || isEmpty(a) || isEmpty(b)) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * One key per band of `rows` consecutive slots; two signatures share a key when they agree on a whole
 * band, which happens with probability 1 - (1 - J^rows)^bands for sets of Jaccard similarity J.
 */
export function lshBandKeys(signature: Uint32Array, rows: number, prefix = ''): string[] {
  if (isEmpty(signature)) return [];
  const keys: string[] = [];
  for (let band = 0; band * rows + rows <= signature.length; band++) {
    let hi = 0x9747b28c ^ band;
    let lo = 0x5bd1e995 ^ band;
    for (let r = band * rows; r < band * rows + rows; r++) {
      hi = fmix32(hi ^ signature[r]!);
      lo = fmix32(Math.imul(lo, 31) ^ signature[r]!);
    }
    keys.push(`${prefix}${band}:${hex32(hi)}${hex32(lo)}`);
  }
  return keys;
}

export function encodeSignature(signature: Uint32Array): string {
  let out = '';
  for (const value of signature) out += hex32(value);
  return out;
}

/** The inverse of encodeSignature; undefined for anything that is not a whole number of 8-hex slots. */
export function decodeSignature(text: string): Uint32Array | undefined {
  if (text.length === 0 || text.length % 8 !== 0 || !/^[0-9a-f]+$/.test(text)) return undefined;
  const signature = new Uint32Array(text.length / 8);
  for (let i = 0; i < signature.length; i++) signature[i] = parseInt(text.slice(i * 8, i * 8 + 8), 16);
  return signature;
}

function isEmpty(signature: Uint32Array): boolean {
  return signature.every((value) => value === EMPTY);
}

const seedCache = new Map<number, Uint32Array>();
function seedsFor(count: number): Uint32Array {
  let seeds = seedCache.get(count);
  if (!seeds) {
    seeds = new Uint32Array(count);
    for (let i = 0; i < count; i++) seeds[i] = fmix32(0x6a09e667 + Math.imul(i + 1, 0x9e3779b9));
    seedCache.set(count, seeds);
  }
  return seeds;
}
