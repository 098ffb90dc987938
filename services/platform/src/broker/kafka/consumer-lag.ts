export interface PartitionEnds {
  partition: number;
  high: string;
  low: string;
}

/**
 * Records a consumer group has not committed yet on one topic. A partition without a committed
 * offset (`-1`) counts from its earliest record when the group is known to read the topic (a
 * new group starts there), and not at all otherwise: the group may never read it.
 */
export function consumerLag(
  committed: ReadonlyArray<{ partition: number; offset: string }>,
  ends: readonly PartitionEnds[],
  countUncommitted: boolean,
): number {
  let lag = 0n;
  for (const end of ends) {
    const offset = BigInt(committed.find((c) => c.partition === end.partition)?.offset ?? '-1');
    if (offset >= 0n) lag += BigInt(end.high) > offset ? BigInt(end.high) - offset : 0n;
    else if (countUncommitted) lag += BigInt(end.high) - BigInt(end.low);
  }
  return Number(lag);
}
