import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { VectorStoreError } from '../errors.js';
import type { Payload } from '../port.js';
import { writeFileAtomic } from './files.js';
import type { TableImage } from './point-table.js';

/**
 * The compacted state of one collection at a log generation: everything in the logs before that
 * generation. Layout: magic `TMVSNAP1`, u32 generation, u32 dim, u32 rows, u32 JSON length,
 * u32 CRC-32 of what follows; JSON `{ids, payloads, graph}` (null for a free row); rows × dim f32 (LE).
 * `graph` is the size and CRC-32 of the usearch file saved with it: usearch trusts the file it
 * loads (a damaged one can crash the process), so it is checked before it is handed over.
 */
const MAGIC = Buffer.from('TMVSNAP1', 'ascii');
const HEADER = MAGIC.length + 20;

export interface GraphFile {
  bytes: number;
  crc32: number;
}

export interface Snapshot {
  generation: number;
  image: TableImage;
  graph?: GraphFile;
}

export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const { generation, image, graph } = snapshot;
  const json = Buffer.from(JSON.stringify({ ids: image.ids, payloads: image.payloads, graph }), 'utf8');
  const vectors = Buffer.from(image.vectors.buffer, image.vectors.byteOffset, image.rows * image.dim * 4);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(generation, 8);
  header.writeUInt32LE(image.dim, 12);
  header.writeUInt32LE(image.rows, 16);
  header.writeUInt32LE(json.length, 20);
  header.writeUInt32LE(crc32(vectors, crc32(json)), 24);
  await writeFileAtomic(path, [header, json, vectors]);
}

/** The snapshot at `path`, or undefined if there is none yet. A damaged one is an error, not an empty store. */
export async function readSnapshot(path: string): Promise<Snapshot | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const corrupt = (why: string) =>
    new VectorStoreError('corrupt_data', `snapshot ${path} is damaged: ${why}`);
  if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt('bad header');
  const generation = bytes.readUInt32LE(8);
  const dim = bytes.readUInt32LE(12);
  const rows = bytes.readUInt32LE(16);
  const jsonLength = bytes.readUInt32LE(20);
  if (bytes.length !== HEADER + jsonLength + rows * dim * 4) throw corrupt('wrong length');
  if (crc32(bytes.subarray(HEADER)) !== bytes.readUInt32LE(24)) throw corrupt('checksum mismatch');
  const parsed = JSON.parse(bytes.subarray(HEADER, HEADER + jsonLength).toString('utf8')) as {
    ids: Array<string | null>;
    payloads: Array<Payload | null>;
    graph?: GraphFile;
  };
  if (parsed.ids.length !== rows || parsed.payloads.length !== rows) throw corrupt('row count mismatch');
  const vectors = new Float32Array(rows * dim);
  Buffer.from(vectors.buffer).set(bytes.subarray(HEADER + jsonLength));
  const image = { dim, rows, ids: parsed.ids, payloads: parsed.payloads, vectors };
  return { generation, image, ...(parsed.graph ? { graph: parsed.graph } : {}) };
}

/** Size and CRC-32 of a file, read in chunks (a graph file can be hundreds of megabytes). */
export async function fileChecksum(path: string): Promise<GraphFile> {
  let crc = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    crc = crc32(chunk as Buffer, crc);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, crc32: crc };
}
