import type { Payload } from '../port.js';

/**
 * The points of one embedded collection, in memory: unit vectors in one growable row-major matrix
 * (so an exact scan is a single native call over contiguous memory), and per row the id and the
 * payload. A row's number is the point's key in the HNSW index; rows freed by deletes are reused.
 * No I/O here: persistence (log, snapshot) and the index are layered on top.
 */
export class PointTable {
  private vectors: Float32Array;
  private ids: Array<string | undefined> = [];
  private payloads: Array<Payload | undefined> = [];
  private readonly rowOf = new Map<string, number>();
  private readonly freeRows: number[] = [];
  /** Rows ever used (live and free): the prefix of the matrix that holds data. */
  private used = 0;

  constructor(
    readonly dim: number,
    initialRows = 1024,
  ) {
    this.vectors = new Float32Array(Math.max(1, initialRows) * dim);
  }

  /** Live points. */
  get size(): number {
    return this.rowOf.size;
  }

  get rowsUsed(): number {
    return this.used;
  }

  get freeCount(): number {
    return this.freeRows.length;
  }

  row(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  isLive(row: number): boolean {
    return this.ids[row] !== undefined;
  }

  idAt(row: number): string {
    return this.ids[row]!;
  }

  payloadAt(row: number): Payload {
    return this.payloads[row]!;
  }

  /** A view of the row's vector (valid until the next write); copy it before handing it out. */
  vectorAt(row: number): Float32Array {
    return this.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }

  /** The used prefix of the matrix, offset 0 (usearch's exactSearch ignores a typed array's byte offset). */
  matrix(): Float32Array {
    return this.vectors.subarray(0, this.used * this.dim);
  }

  /** Adds or replaces; a replaced point keeps its row. Returns the row and whether it existed. */
  set(id: string, unit: Float32Array, payload: Payload): { row: number; replaced: boolean } {
    let row = this.rowOf.get(id);
    const replaced = row !== undefined;
    if (row === undefined) {
      row = this.freeRows.pop() ?? this.grow();
      this.rowOf.set(id, row);
      this.ids[row] = id;
    }
    this.vectors.set(unit, row * this.dim);
    this.payloads[row] = payload;
    return { row, replaced };
  }

  /** Removes a point; returns the row it had, or undefined if there was none. */
  remove(id: string): number | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    this.rowOf.delete(id);
    this.ids[row] = undefined;
    this.payloads[row] = undefined;
    // A zero row scores as the farthest possible point in an exact scan, which skips it anyway.
    this.vectors.fill(0, row * this.dim, (row + 1) * this.dim);
    this.freeRows.push(row);
    return row;
  }

  *liveRows(): IterableIterator<number> {
    for (let row = 0; row < this.used; row++) if (this.ids[row] !== undefined) yield row;
  }

  /** A copy of the state for a snapshot: rows with their ids (null when free), payloads and vectors. */
  capture(): TableImage {
    return {
      dim: this.dim,
      rows: this.used,
      ids: this.ids.slice(0, this.used).map((id) => id ?? null),
      payloads: this.payloads.slice(0, this.used).map((p) => p ?? null),
      vectors: this.vectors.slice(0, this.used * this.dim),
    };
  }

  /** Rebuilds a table from a snapshot image; rows keep their numbers (they are the index keys). */
  static restore(image: TableImage): PointTable {
    const table = new PointTable(image.dim, Math.max(1024, image.rows));
    table.vectors.set(image.vectors.subarray(0, image.rows * image.dim));
    table.used = image.rows;
    for (let row = 0; row < image.rows; row++) {
      const id = image.ids[row];
      if (id === null || id === undefined) {
        table.freeRows.push(row);
        table.vectors.fill(0, row * image.dim, (row + 1) * image.dim);
        continue;
      }
      table.ids[row] = id;
      table.payloads[row] = image.payloads[row] ?? {};
      table.rowOf.set(id, row);
    }
    // pop() then hands out the lowest free row first.
    table.freeRows.reverse();
    return table;
  }

  private grow(): number {
    const row = this.used;
    if ((row + 1) * this.dim > this.vectors.length) {
      const bigger = new Float32Array(Math.max(this.vectors.length * 2, (row + 1) * this.dim));
      bigger.set(this.vectors);
      this.vectors = bigger;
    }
    this.used += 1;
    return row;
  }
}

export interface TableImage {
  dim: number;
  rows: number;
  ids: Array<string | null>;
  payloads: Array<Payload | null>;
  vectors: Float32Array;
}
