/** Vectors are stored as little-endian float32 bytes, whatever the host's byte order. */
export function vectorToBytes(vector: Float32Array): Uint8Array<ArrayBuffer> {
  const buf = new Uint8Array(vector.length * 4);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i]!, true);
  return buf;
}

export function bytesToVector(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error(`stored vector has ${bytes.length} bytes, not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
