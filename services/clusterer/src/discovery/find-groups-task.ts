import { findGroups } from '../domain/find-groups.js';
import type { GroupOptions } from '../domain/contract.js';

/** One discovery pass's vectors, packed row by row into one transferable buffer. */
export interface FindGroupsTask {
  rows: number;
  dim: number;
  buffer: ArrayBuffer;
  options: GroupOptions;
}

export function packTask(vectors: readonly Float32Array[], options: GroupOptions): FindGroupsTask {
  const dim = vectors[0]?.length ?? 0;
  const packed = new Float32Array(vectors.length * dim);
  vectors.forEach((vector, row) => {
    if (vector.length !== dim) throw new RangeError(`row ${row} has ${vector.length} dimensions, not ${dim}`);
    packed.set(vector, row * dim);
  });
  return { rows: vectors.length, dim, buffer: packed.buffer, options };
}

/** Runs in a worker thread (piscina loads this module there): `findGroups` over the unpacked rows. */
export default function findGroupsTask(task: FindGroupsTask): number[][] {
  const packed = new Float32Array(task.buffer);
  const vectors = Array.from({ length: task.rows }, (_, row) =>
    packed.subarray(row * task.dim, (row + 1) * task.dim),
  );
  return findGroups(vectors, task.options);
}
