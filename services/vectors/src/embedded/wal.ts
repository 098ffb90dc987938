import { closeSync, fdatasyncSync, openSync, readFileSync, ftruncateSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { VectorStoreError } from '../errors.js';
import type { Payload } from '../port.js';

/**
 * The append-only log of one collection: every acknowledged upsert and delete is written here
 * before the in-memory state changes, and replayed on open on top of the last snapshot.
 *
 * Record: u32 body length, u32 CRC-32 of the body, body. Body: u8 op (1 upsert, 2 delete), u32 JSON
 * length, JSON ({ids} or {ids, payloads}), then for an upsert the unit vectors as little-endian f32.
 * A crash can leave a torn last record; reading stops at the first record whose length or CRC does
 * not check out, and the log is cut back to the last whole record before it is appended to again.
 *
 * Appends are synchronous writes: they are small (a batch of 256 × 384-d vectors is ~400 KB), they
 * keep records in call order without a queue, and an upsert that resolved is in the file. With
 * `fsync` each append is also flushed to the disk (survives power loss, costs a disk sync per call).
 */
export type LogRecord =
  | { op: 'upsert'; ids: string[]; payloads: Payload[]; vectors: Float32Array }
  | { op: 'delete'; ids: string[] };

const OP_UPSERT = 1;
const OP_DELETE = 2;
const FRAME = 8;

export function encodeRecord(record: LogRecord, dim: number): Buffer {
  const json = Buffer.from(
    JSON.stringify(
      record.op === 'upsert' ? { ids: record.ids, payloads: record.payloads } : { ids: record.ids },
    ),
    'utf8',
  );
  const vectorBytes = record.op === 'upsert' ? record.ids.length * dim * 4 : 0;
  const body = Buffer.alloc(5 + json.length + vectorBytes);
  body.writeUInt8(record.op === 'upsert' ? OP_UPSERT : OP_DELETE, 0);
  body.writeUInt32LE(json.length, 1);
  json.copy(body, 5);
  if (record.op === 'upsert') {
    const floats = record.vectors;
    Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).copy(body, 5 + json.length);
  }
  const frame = Buffer.alloc(FRAME);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([frame, body]);
}

/** The whole records in `bytes`, and how many bytes they span (the rest is a torn or corrupt tail). */
export function decodeRecords(bytes: Buffer, dim: number): { records: LogRecord[]; validBytes: number } {
  const records: LogRecord[] = [];
  let offset = 0;
  while (offset + FRAME <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + FRAME + length;
    if (length < 5 || end > bytes.length) break;
    const body = bytes.subarray(offset + FRAME, end);
    if (crc32(body) !== bytes.readUInt32LE(offset + 4)) break;
    const record = decodeBody(body, dim);
    if (!record) break;
    records.push(record);
    offset = end;
  }
  return { records, validBytes: offset };
}

function decodeBody(body: Buffer, dim: number): LogRecord | undefined {
  const op = body.readUInt8(0);
  const jsonLength = body.readUInt32LE(1);
  if (5 + jsonLength > body.length) return undefined;
  let parsed: { ids?: unknown; payloads?: unknown };
  try {
    parsed = JSON.parse(body.subarray(5, 5 + jsonLength).toString('utf8')) as typeof parsed;
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed.ids)) return undefined;
  const ids = parsed.ids as string[];
  if (op === OP_DELETE) return { op: 'delete', ids };
  if (op !== OP_UPSERT || !Array.isArray(parsed.payloads)) return undefined;
  const vectorBytes = body.subarray(5 + jsonLength);
  if (vectorBytes.length !== ids.length * dim * 4) return undefined;
  // Copy into a fresh, aligned array: a Buffer slice may sit at any byte offset.
  const vectors = new Float32Array(ids.length * dim);
  Buffer.from(vectors.buffer).set(vectorBytes);
  return { op: 'upsert', ids, payloads: parsed.payloads as Payload[], vectors };
}

/**
 * Reads a log file. A bad tail is returned as `validBytes < size` so the caller can decide: cut it
 * (the last log, torn by a crash) or refuse to go on (an older log, which no crash can tear).
 */
export function readLog(
  path: string,
  dim: number,
): { records: LogRecord[]; validBytes: number; size: number } {
  const bytes = readFileSync(path);
  return { ...decodeRecords(bytes, dim), size: bytes.length };
}

export class LogWriter {
  private fd: number;
  private bytes: number;
  private broken = false;

  constructor(
    readonly path: string,
    private readonly dim: number,
    private readonly fsync: boolean,
    /** Bytes of whole records already in the file; anything after is cut off before appending. */
    validBytes = 0,
  ) {
    this.fd = openSync(path, 'a');
    ftruncateSync(this.fd, validBytes);
    this.bytes = validBytes;
  }

  /** Bytes in this log, to decide when to compact it into a snapshot. */
  get size(): number {
    return this.bytes;
  }

  append(record: LogRecord): void {
    if (this.fd < 0) throw new VectorStoreError('closed', `log ${this.path} is closed`);
    if (this.broken)
      throw new VectorStoreError('backend_error', `log ${this.path} has a torn record; reopen the store`);
    const buffer = encodeRecord(record, this.dim);
    try {
      let written = 0;
      while (written < buffer.length) written += writeSync(this.fd, buffer, written, buffer.length - written);
      if (this.fsync) fdatasyncSync(this.fd);
    } catch (err) {
      // Cut a partly written record (e.g. disk full) so that later records are not stranded behind it.
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // Reading would stop at the torn record, stranding anything appended after it: refuse further writes.
        this.broken = true;
      }
      throw new VectorStoreError('backend_error', `cannot append to ${this.path}: ${String(err)}`, {
        cause: err,
      });
    }
    this.bytes += buffer.length;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
