export const BUCKET_MS = 3_600_000;

/** Start of the hour `at` falls in (UTC; hours are the same in every zone that matters here). */
export function bucketStart(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / BUCKET_MS) * BUCKET_MS;
}

/** Every bucket from `fromMs` to `toMs` (inclusive), zero where `counts` has none, oldest first. */
export function fillBuckets(
  counts: ReadonlyMap<number, number>,
  fromMs: number,
  toMs: number,
): Array<{ start: string; count: number }> {
  const out: Array<{ start: string; count: number }> = [];
  for (let t = bucketStart(fromMs); t <= toMs; t += BUCKET_MS)
    out.push({ start: new Date(t).toISOString(), count: counts.get(t) ?? 0 });
  return out;
}

/**
 * Bucket deltas for items moving between clusters: `-1` in the old cluster's bucket, `+1` in the
 * new one's, netted, sorted by (cluster, bucket) so concurrent upserts lock rows in one order.
 */
export function bucketDeltas(
  moves: ReadonlyArray<{ from: string | null; to: string | null; publishedAt: Date }>,
): Array<{ clusterId: string; start: number; delta: number }> {
  const deltas = new Map<string, { clusterId: string; start: number; delta: number }>();
  const add = (clusterId: string, start: number, delta: number) => {
    const key = `${clusterId}\u0000${start}`;
    const entry = deltas.get(key) ?? { clusterId, start, delta: 0 };
    entry.delta += delta;
    deltas.set(key, entry);
  };
  for (const move of moves) {
    if (move.from === move.to) continue;
    const start = bucketStart(move.publishedAt);
    if (move.from !== null) add(move.from, start, -1);
    if (move.to !== null) add(move.to, start, +1);
  }
  return [...deltas.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => (a.clusterId < b.clusterId ? -1 : a.clusterId > b.clusterId ? 1 : a.start - b.start));
}
