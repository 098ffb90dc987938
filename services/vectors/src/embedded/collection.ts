import { existsSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { VectorStoreError } from '../errors.js';
import { matchesFilter, matchesNothing } from '../filter.js';
import type {
  Payload,
  SearchHit,
  SearchOptions,
  VectorCollection,
  VectorFilter,
  VectorPoint,
} from '../port.js';
import { checkFilter, checkIds, checkPoints, checkSearchOptions, unitVector } from '../validation.js';
import { commitFile, syncFile, temporaryPath } from './files.js';
import { HnswIndex, exactTopK } from './hnsw.js';
import type { ResolvedEmbeddedOptions } from './options.js';
import { PointTable } from './point-table.js';
import { LogWriter, readLog, type LogRecord } from './wal.js';
import { fileChecksum, readSnapshot, writeSnapshot, type GraphFile } from './snapshot.js';

/**
 * One embedded collection: a PointTable in memory, an HNSW index over it, and on disk (in its own
 * folder) `snapshot.bin` at generation S, `index-S.usearch` (the graph saved at the same moment, so
 * opening does not rebuild it) and `log-G.wal` for every generation G ≥ S (the writes since).
 *
 * Durability: a write is appended to the current log before it is applied or acknowledged, and
 * opening replays the logs on top of the snapshot, so everything acknowledged survives a crash
 * (see `durability` for power loss). `flush()` compacts: it starts a new log generation, then writes
 * the snapshot and graph for it; only once both are in place are older logs removed. A crash at any
 * step leaves either the old snapshot plus all logs, or the new one plus its logs.
 */
const SNAPSHOT = 'snapshot.bin';
const LOG_FILE = /^log-(\d+)\.wal$/;
const INDEX_FILE = /^index-(\d+)\.usearch$/;
/** Points per log record, so a huge upsert does not build one huge buffer. */
const RECORD_POINTS = 4096;
/** Below this share of matching points a filtered search scans them, however many they are. */
const SELECTIVE_SHARE = 0.01;
/**
 * Graph candidates to fetch per wanted hit, beyond k / share: the filtered neighbours of a query are
 * not always among its unfiltered ones (bench/vectors.ts, hard data set), so fetch generously.
 */
const OVERSAMPLE = 4;

export interface CollectionMeta {
  model: string;
  dim: number;
}

export class EmbeddedCollection implements VectorCollection {
  readonly name: string;
  readonly dim: number;
  private closed = false;
  private dirty = false;
  private flushing: Promise<void> = Promise.resolve();
  private compaction: Promise<void> | undefined;

  private constructor(
    private readonly folder: string,
    meta: CollectionMeta,
    private readonly options: ResolvedEmbeddedOptions,
    private readonly table: PointTable,
    private readonly hnsw: HnswIndex,
    private log: LogWriter,
    private generation: number,
  ) {
    this.name = meta.model;
    this.dim = meta.dim;
  }

  static async open(
    folder: string,
    meta: CollectionMeta,
    options: ResolvedEmbeddedOptions,
  ): Promise<EmbeddedCollection> {
    const files = await readdir(folder);
    await Promise.all(files.filter((f) => f.endsWith('.tmp')).map((f) => unlink(join(folder, f))));

    const snapshot = await readSnapshot(join(folder, SNAPSHOT));
    if (snapshot && snapshot.image.dim !== meta.dim) {
      throw new VectorStoreError(
        'corrupt_data',
        `${folder}: snapshot has dimension ${snapshot.image.dim}, not ${meta.dim}`,
      );
    }
    const committed = snapshot?.generation ?? 0;
    const table = snapshot ? PointTable.restore(snapshot.image) : new PointTable(meta.dim);
    const hnsw = new HnswIndex(meta.dim, options);
    const graphPath = join(folder, indexFile(committed));
    if (!(await loadGraph(hnsw, graphPath, snapshot?.graph, table))) rebuildGraph(hnsw, table);

    const logs = numbered(files, LOG_FILE);
    for (const g of logs.filter((g) => g < committed)) await unlink(join(folder, logFile(g)));
    const live = logs.filter((g) => g >= committed);
    let replayed = 0;
    let tailBytes = 0;
    for (const [i, g] of live.entries()) {
      const { records, validBytes, size } = readLog(join(folder, logFile(g)), meta.dim);
      const last = i === live.length - 1;
      // Only the log being written when the process died can end in a torn record.
      if (validBytes < size && !last) {
        throw new VectorStoreError(
          'corrupt_data',
          `${folder}: ${logFile(g)} is damaged at byte ${validBytes}`,
        );
      }
      for (const record of records) apply(table, hnsw, record);
      replayed += records.length;
      if (last) tailBytes = validBytes;
    }
    for (const g of numbered(files, INDEX_FILE).filter((g) => g !== committed)) {
      await unlink(join(folder, indexFile(g)));
    }

    const generation = live.at(-1) ?? committed;
    const log = new LogWriter(
      join(folder, logFile(generation)),
      meta.dim,
      options.durability === 'fsync',
      tailBytes,
    );
    const collection = new EmbeddedCollection(folder, meta, options, table, hnsw, log, generation);
    collection.dirty = replayed > 0;
    return collection;
  }

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    this.assertOpen();
    const checked = checkPoints(points, this.dim);
    for (let start = 0; start < checked.length; start += RECORD_POINTS) {
      const chunk = checked.slice(start, start + RECORD_POINTS);
      const vectors = new Float32Array(chunk.length * this.dim);
      chunk.forEach((p, i) => vectors.set(p.unit, i * this.dim));
      this.write({
        op: 'upsert',
        ids: chunk.map((p) => p.id),
        payloads: chunk.map((p) => p.payload),
        vectors,
      });
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.assertOpen();
    const present = [...new Set(checkIds(ids))].filter((id) => this.table.row(id) !== undefined);
    if (present.length > 0) this.write({ op: 'delete', ids: present });
  }

  async search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]> {
    this.assertOpen();
    const { k, filter, exact } = checkSearchOptions(options);
    const query = unitVector(vector, this.dim);
    if (this.table.size === 0 || matchesNothing(filter)) return [];
    const found = filter
      ? this.searchFiltered(query, k, filter, exact === true)
      : this.searchAll(query, k, exact === true);
    return found.map(({ row, score }) => ({
      id: this.table.idAt(row),
      score,
      payload: { ...this.table.payloadAt(row) },
    }));
  }

  async count(filter?: VectorFilter): Promise<number> {
    this.assertOpen();
    if (filter === undefined) return this.table.size;
    const checked = checkFilter(filter);
    return matchesNothing(checked) ? 0 : this.matchingRows(checked).length;
  }

  async retrieve(ids: readonly string[]): Promise<VectorPoint[]> {
    this.assertOpen();
    const points: VectorPoint[] = [];
    for (const id of new Set(checkIds(ids))) {
      const row = this.table.row(id);
      if (row === undefined) continue;
      points.push({
        id,
        vector: this.table.vectorAt(row).slice(),
        payload: { ...this.table.payloadAt(row) },
      });
    }
    return points;
  }

  /** Writes a snapshot of everything so far and drops the logs it covers. Concurrent calls queue. */
  flush(): Promise<void> {
    const run = this.flushing.then(() => this.compact());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Persists, then releases the log. The collection refuses calls afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.log.close();
    }
  }

  /** Closes without persisting anything more (the folder is about to be deleted). */
  discard(): void {
    this.closed = true;
    this.log.close();
  }

  private write(record: LogRecord): void {
    this.log.append(record);
    this.dirty = true;
    apply(this.table, this.hnsw, record);
    if (this.log.size > this.options.maxLogBytes && !this.compaction) {
      // Background compaction: if it fails, the logs still hold everything and the next flush retries.
      this.compaction = this.flush()
        .catch((err: unknown) => this.options.onBackgroundError?.(err))
        .finally(() => (this.compaction = undefined));
    }
  }

  private searchAll(query: Float32Array, k: number, exact: boolean): Array<{ row: number; score: number }> {
    const size = this.table.size;
    if (!exact && size > this.options.exactThreshold) {
      const found = this.hnsw.search(query, k);
      if (found.length >= Math.min(k, size)) return found;
    }
    // Deleted rows are zeros in the matrix: ask for enough extra to skip them all.
    const found = exactTopK(
      this.table.matrix(),
      query,
      this.dim,
      k + this.table.freeCount,
      this.options.threads,
    );
    return found.filter(({ row }) => this.table.isLive(row)).slice(0, k);
  }

  private searchFiltered(
    query: Float32Array,
    k: number,
    filter: VectorFilter,
    exact: boolean,
  ): Array<{ row: number; score: number }> {
    const rows = this.matchingRows(filter);
    const size = this.table.size;
    const share = rows.length / size;
    if (rows.length === 0) return [];
    if (!exact && rows.length > this.options.filteredExactThreshold && share >= SELECTIVE_SHARE) {
      const matching = new Uint8Array(this.table.rowsUsed);
      for (const row of rows) matching[row] = 1;
      const needed = Math.min(k, rows.length);
      let wanted = Math.min(size, Math.ceil((k / share) * OVERSAMPLE) + 64);
      for (;;) {
        const found = this.hnsw.search(query, wanted).filter(({ row }) => matching[row] === 1);
        if (found.length >= needed) return found.slice(0, k);
        if (wanted >= size) break;
        wanted = Math.min(size, wanted * 4);
      }
    }
    return this.exactOver(rows, query, k);
  }

  private exactOver(
    rows: readonly number[],
    query: Float32Array,
    k: number,
  ): Array<{ row: number; score: number }> {
    const gathered = new Float32Array(rows.length * this.dim);
    rows.forEach((row, i) => gathered.set(this.table.vectorAt(row), i * this.dim));
    return exactTopK(gathered, query, this.dim, k, this.options.threads).map(({ row, score }) => ({
      row: rows[row]!,
      score,
    }));
  }

  private matchingRows(filter: VectorFilter): number[] {
    const rows: number[] = [];
    // A plain loop, not liveRows(): this runs over every point on each filtered search.
    const table = this.table;
    for (let row = 0; row < table.rowsUsed; row++) {
      if (table.isLive(row) && matchesFilter(table.payloadAt(row), filter)) rows.push(row);
    }
    return rows;
  }

  private async compact(): Promise<void> {
    if (!this.dirty || this.closed) return;
    const next = this.generation + 1;
    // Capture synchronously, so no write can land between the graph, the table and the log switch.
    const indexTemp = temporaryPath(join(this.folder, indexFile(next)));
    this.hnsw.save(indexTemp);
    const image = this.table.capture();
    const nextLog = new LogWriter(
      join(this.folder, logFile(next)),
      this.dim,
      this.options.durability === 'fsync',
    );
    this.log.close();
    this.log = nextLog;
    this.generation = next;
    this.dirty = false;
    try {
      const graph = await fileChecksum(indexTemp);
      await syncFile(indexTemp);
      // The graph goes in first: a snapshot is only ever committed with its graph beside it.
      await commitFile(indexTemp, join(this.folder, indexFile(next)));
      await writeSnapshot(join(this.folder, SNAPSHOT), { generation: next, image, graph });
    } catch (err) {
      this.dirty = true;
      await unlink(indexTemp).catch(() => undefined);
      throw new VectorStoreError('backend_error', `cannot write a snapshot of ${this.name}: ${String(err)}`, {
        cause: err,
      });
    }
    const stale = (await readdir(this.folder)).filter((f) => {
      const log = LOG_FILE.exec(f);
      const index = INDEX_FILE.exec(f);
      return (log && Number(log[1]) < next) || (index && Number(index[1]) !== next);
    });
    await Promise.all(stale.map((f) => unlink(join(this.folder, f)).catch(() => undefined)));
  }

  private assertOpen(): void {
    if (this.closed) throw new VectorStoreError('closed', `collection ${this.name} is closed`);
  }
}

function apply(table: PointTable, hnsw: HnswIndex, record: LogRecord): void {
  if (record.op === 'delete') {
    const rows = record.ids.map((id) => table.remove(id)).filter((row): row is number => row !== undefined);
    hnsw.remove(rows);
    return;
  }
  const dim = table.dim;
  const rows: number[] = [];
  const replaced: number[] = [];
  record.ids.forEach((id, i) => {
    const payload: Payload = record.payloads[i] ?? {};
    const { row, replaced: existed } = table.set(
      id,
      record.vectors.subarray(i * dim, (i + 1) * dim),
      payload,
    );
    rows.push(row);
    if (existed) replaced.push(row);
  });
  // A replaced point keeps its row (its key): take the old vector out of the graph, then add the new one.
  hnsw.remove(replaced);
  hnsw.add(rows, record.vectors);
}

async function loadGraph(
  hnsw: HnswIndex,
  path: string,
  expected: GraphFile | undefined,
  table: PointTable,
): Promise<boolean> {
  if (!expected || !existsSync(path)) return false;
  const actual = await fileChecksum(path);
  if (actual.bytes !== expected.bytes || actual.crc32 !== expected.crc32) return false;
  if (!hnsw.load(path)) return false;
  const rows = [...table.liveRows()];
  const sample = rows.filter((_, i) => i % Math.max(1, Math.floor(rows.length / 64)) === 0);
  if (hnsw.size === table.size && sample.every((row) => hnsw.contains(row))) return true;
  hnsw.reset();
  return false;
}

/** Rebuilds the graph from the stored vectors (no saved graph, or one that does not match). */
function rebuildGraph(hnsw: HnswIndex, table: PointTable): void {
  const batch = 10_000;
  let rows: number[] = [];
  const flushBatch = () => {
    const vectors = new Float32Array(rows.length * table.dim);
    rows.forEach((row, i) => vectors.set(table.vectorAt(row), i * table.dim));
    hnsw.add(rows, vectors);
    rows = [];
  };
  for (const row of table.liveRows()) {
    rows.push(row);
    if (rows.length === batch) flushBatch();
  }
  if (rows.length > 0) flushBatch();
}

function numbered(files: readonly string[], pattern: RegExp): number[] {
  return files
    .map((f) => pattern.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function logFile(generation: number): string {
  return `log-${generation}.wal`;
}

function indexFile(generation: number): string {
  return `index-${generation}.usearch`;
}
