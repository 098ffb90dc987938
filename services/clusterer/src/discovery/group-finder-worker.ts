import { parentPort } from 'node:worker_threads';
import { findGroups, type GroupOptions } from '../domain/find-groups.js';

/** One discovery's density clustering: the candidates' vectors packed row after row. */
export interface GroupRequest {
  id: number;
  packed: Float32Array;
  dim: number;
  options: GroupOptions;
}

export type GroupReply = { id: number; groups: number[][] } | { id: number; error: string };

// The worker thread's side of group-finder.ts: nothing but `findGroups`, one request at a time.
parentPort?.on('message', ({ id, packed, dim, options }: GroupRequest) => {
  let reply: GroupReply;
  try {
    const vectors = Array.from({ length: packed.length / dim }, (_, row) =>
      packed.subarray(row * dim, (row + 1) * dim),
    );
    reply = { id, groups: findGroups(vectors, options) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
  parentPort!.postMessage(reply);
});
