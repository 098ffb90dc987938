/** Vectors travel as base64 of little-endian float32, whatever the host's byte order. */
export function encodeVector(vector: Float32Array | readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i]!, i * 4);
  return buf.toString('base64');
}

export function decodeVector(base64: string, dim: number): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  if (buf.length !== dim * 4) {
    throw new Error(`vector has ${buf.length} bytes, expected ${dim * 4} for dim ${dim}`);
  }
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Byte length of a base64 string without decoding it. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
