import { hex32, murmur32 } from './hash32.js';

/**
 * 64-bit SimHash (Charikar 2002): every weighted feature votes +w / -w on each bit according to its own
 * 64-bit hash; the fingerprint keeps the sign of every tally. Similar feature multisets give fingerprints
 * that differ in few bits. Returned as 16 lower-case hex characters.
 */
export function simHash(features: ReadonlyMap<string, number>): string {
  const tally = new Float64Array(64);
  for (const [feature, weight] of features) {
    const hi = murmur32(feature, 0x1b873593);
    const lo = murmur32(feature, 0xcc9e2d51);
    for (let bit = 0; bit < 32; bit++) {
      tally[bit]! += (hi >>> bit) & 1 ? weight : -weight;
      tally[32 + bit]! += (lo >>> bit) & 1 ? weight : -weight;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (tally[bit]! > 0) hi |= 1 << bit;
    if (tally[32 + bit]! > 0) lo |= 1 << bit;
  }
  return hex32(hi) + hex32(lo);
}

/** Number of differing bits between two 16-hex SimHashes; 64 when either is malformed. */
export function hammingDistance(a: string, b: string): number {
  if (!isSimHash(a) || !isSimHash(b)) return 64;
  return (
    popcount(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) +
    popcount(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16))
  );
}

/** 1 - hamming / 64: 1 for identical fingerprints, about 0.5 for unrelated texts. */
export function simHashSimilarity(a: string, b: string): number {
  return 1 - hammingDistance(a, b) / 64;
}

export function isSimHash(value: string): boolean {
  return /^[0-9a-f]{16}$/.test(value);
}

function popcount(value: number): number {
  let v = value >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
