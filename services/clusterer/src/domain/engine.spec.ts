import { expect } from 'chai';
import type {
  ClusterEngine,
  ClusterState,
  EngineChange,
  EngineItem,
  EngineSettings,
  StoredItem,
} from './contract.js';
import { createClusterEngine } from './engine.js';
import { EngineError } from './errors.js';
import { findGroups } from './find-groups.js';
import { defaultEngineSettings } from './settings.js';
import { TopicStream } from './testing/topics.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return defaultEngineSettings('test-model', {
    assignThreshold: 0.6,
    mergeThreshold: 0.9,
    minClusterSize: 5,
    minSamples: 3,
    discoveryPoolTrigger: 30,
    ...overrides,
  });
}

/** Deterministic cluster ids c1, c2, …; `issued` says how many were handed out. */
function counter(start = 0): (() => string) & { issued: number } {
  const next = Object.assign(() => `c${++next.issued}`, { issued: start });
  return next;
}

/** Adds items one by one (running discovery when due), collecting every change. */
function feed(engine: ClusterEngine, items: EngineItem[], discover = true): EngineChange[] {
  const changes: EngineChange[] = [];
  for (const item of items) {
    const result = engine.add(item, item.publishedAt);
    changes.push(...result.changes);
    if (discover && result.discoveryDue) changes.push(...engine.discover(item.publishedAt));
  }
  return changes;
}

function dotOf(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
}

function ofKind<K extends EngineChange['kind']>(changes: EngineChange[], kind: K) {
  return changes.filter((change): change is Extract<EngineChange, { kind: K }> => change.kind === kind);
}

/** item id → cluster id after the changes (null: pooled), following merges. */
function membership(changes: EngineChange[]): Map<string, string | null> {
  const members = new Map<string, string | null>();
  for (const change of changes) {
    if (change.kind === 'item-clustered') members.set(change.itemId, change.clusterId);
    if (change.kind === 'cluster-merged')
      for (const itemId of change.movedItemIds) members.set(itemId, change.intoClusterId);
  }
  return members;
}

function topicItems(stream: TopicStream, topics: number[], perTopic: number, start = T0): EngineItem[] {
  const items: EngineItem[] = [];
  for (let i = 0; i < perTopic; i++)
    for (const topic of topics) items.push(stream.item(topic, start + items.length * 60_000));
  return items;
}

describe('cluster engine', () => {
  it('gives separated topics separate, pure clusters', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const items = topicItems(stream, [0, 1, 2], 20);
    const changes = [...feed(engine, items, false), ...engine.discover(T0 + DAY)];

    expect(engine.clusters()).to.have.length(3);
    expect(ofKind(changes, 'cluster-created')).to.have.length(3);
    const members = membership(changes);
    const topicOf = new Map(items.map((item, i) => [item.itemId, i % 3]));
    const topicsPerCluster = new Map<string, Set<number>>();
    for (const [itemId, clusterId] of members) {
      expect(clusterId, `${itemId} is clustered`).to.be.a('string');
      if (!topicsPerCluster.has(clusterId!)) topicsPerCluster.set(clusterId!, new Set());
      topicsPerCluster.get(clusterId!)!.add(topicOf.get(itemId)!);
    }
    expect([...topicsPerCluster.values()].map((topics) => topics.size)).to.deep.equal([1, 1, 1]);
    expect(engine.poolSize()).to.equal(0);
    for (const cluster of engine.clusters()) {
      expect(cluster.size).to.equal(20);
      expect(cluster.keywords.length).to.be.greaterThan(0);
      expect(cluster.label).to.not.equal('');
      expect(cluster.representativeItemIds).to.have.length(5);
    }
  });

  it('announces a new topic once with cluster-created, then cluster-updated as it grows', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    feed(engine, topicItems(stream, [0, 1], 20));
    engine.discover(T0 + HOUR);
    const before = new Set(engine.clusters().map((cluster) => cluster.clusterId));

    const later = T0 + 2 * HOUR;
    const fresh = topicItems(stream, [3], 40, later);
    const changes = [...feed(engine, fresh), ...engine.discover(later + DAY)];

    const created = ofKind(changes, 'cluster-created');
    expect(created).to.have.length(1);
    const newId = created[0]!.cluster.clusterId;
    expect(before.has(newId)).to.equal(false);
    expect(created[0]!.cluster.version).to.equal(1);
    const updates = ofKind(changes, 'cluster-updated').filter((c) => c.cluster.clusterId === newId);
    expect(updates.length).to.be.greaterThan(0);
    // Everything of the new topic ends up in the new cluster.
    const members = membership(changes);
    for (const item of fresh) expect(members.get(item.itemId)).to.equal(newId);
  });

  it('ignores an item it already knows', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const items = topicItems(stream, [0], 10);
    feed(engine, items);
    const replay = engine.add(items[3]!, T0 + DAY);
    expect(replay.changes).to.deep.equal([]);
  });

  it('keeps ids stable when discovery runs again over the same data', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const items = topicItems(stream, [0, 1, 2], 15);
    const first = [...feed(engine, items, false), ...engine.discover(T0 + HOUR)];
    const ids = engine.clusters().map((cluster) => cluster.clusterId);
    const second = engine.discover(T0 + HOUR);

    expect(ofKind(first, 'cluster-created')).to.have.length(3);
    expect(ofKind(second, 'cluster-created')).to.deep.equal([]);
    expect(engine.clusters().map((cluster) => cluster.clusterId)).to.deep.equal(ids);
    expect(ofKind(second, 'item-clustered')).to.deep.equal([]);
  });

  it('announces each cluster once for a batch of added items, with one version step', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    feed(engine, topicItems(stream, [0, 1], 10), false);
    engine.discover(T0 + HOUR);
    const before = new Map(engine.clusters().map((c) => [c.clusterId, c.version]));
    expect(before.size).to.equal(2);

    const batch = topicItems(stream, [0, 1], 4, T0 + 2 * HOUR);
    const { changes } = engine.addMany([...batch, batch[0]!], T0 + 3 * HOUR);

    const clustered = ofKind(changes, 'item-clustered');
    expect(clustered.map((c) => c.itemId)).to.deep.equal(batch.map((item) => item.itemId));
    expect(clustered.every((c) => c.method === 'assigned')).to.equal(true);
    const updated = ofKind(changes, 'cluster-updated');
    expect(updated).to.have.length(2);
    for (const change of updated) {
      expect(change.cluster.version).to.equal(before.get(change.cluster.clusterId)! + 1);
      expect(change.addedItemIds).to.have.length(4);
      expect(change.cluster.size).to.equal(14);
    }
    expect(engine.addMany(batch, T0 + 4 * HOUR).changes).to.deep.equal([]);
  });

  it('makes discovery due after the pool grows by the trigger or by 5 % of the items held, whichever is more', () => {
    const stream = new TopicStream({ dim: 64 });
    const engine = createClusterEngine(settings({ discoveryPoolTrigger: 10, assignThreshold: 0.99 }), {
      newId: counter(),
    });
    // 1,000 items held and none clustered (a threshold nothing clears): every item is pooled.
    let due = false;
    const items = topicItems(stream, [0, 1, 2, 3], 250);
    items.forEach((item, i) => {
      const result = engine.add(item, item.publishedAt);
      if (i < 199 && result.discoveryDue) due = true;
    });
    expect(due, 'below 200 items the fixed trigger of 10 applies').to.equal(true);
    engine.discover(T0 + DAY);
    const pooled = engine.poolSize();
    const more = topicItems(stream, [4], 60, T0 + DAY);
    const dueAt = more.findIndex((item) => engine.add(item, T0 + DAY).discoveryDue);
    // 5 % of the ~1,050 items held: the 53rd new pooled item, not the 10th.
    expect(dueAt + 1).to.be.within(51, 54);
    expect(engine.poolSize()).to.be.greaterThan(pooled);
  });

  it('looks at the most recent discoveryMaxItems candidates at most', () => {
    // Topic 0 arrives first, then topics 1 and 2: with room for the last 40 items only, discovery
    // sees topics 1 and 2 and leaves topic 0 waiting; with room for all, it finds all three.
    const run = (discoveryMaxItems: number) => {
      const stream = new TopicStream();
      const engine = createClusterEngine(settings({ discoveryMaxItems }), { newId: counter() });
      const early = topicItems(stream, [0], 20);
      const late = topicItems(stream, [1, 2], 20, T0 + HOUR);
      const changes = [...feed(engine, [...early, ...late], false), ...engine.discover(T0 + 2 * HOUR)];
      return { engine, members: membership(changes), early, late };
    };
    const capped = run(40);
    expect(capped.engine.clusters()).to.have.length(2);
    expect(capped.early.every((item) => capped.members.get(item.itemId) === null)).to.equal(true);
    expect(capped.late.every((item) => typeof capped.members.get(item.itemId) === 'string')).to.equal(true);
    expect(capped.engine.poolSize()).to.equal(20);
    const whole = run(60);
    expect(whole.engine.clusters()).to.have.length(3);
    expect(whole.engine.poolSize()).to.equal(0);
  });

  it('lets go of items pooled for longer than the window and the retire horizon, keeping newer ones', () => {
    const stream = new TopicStream({ dim: 64 });
    // A threshold nothing clears and no discovery: every item stays pooled.
    const engine = createClusterEngine(
      settings({ assignThreshold: 0.99, discoveryWindowMs: DAY, retireAfterMs: 2 * DAY }),
      { newId: counter() },
    );
    const old = topicItems(stream, [0], 5);
    const recent = topicItems(stream, [1], 5, T0 + 2 * DAY);
    feed(engine, [...old, ...recent], false);
    expect(engine.poolSize()).to.equal(10);
    // At T0 + 2 days + 10 min the oldest items are just over two days old: retained until then.
    engine.maintain(T0 + 2 * DAY);
    expect(engine.poolSize()).to.equal(10);
    engine.maintain(T0 + 2 * DAY + HOUR);
    expect(engine.poolSize()).to.equal(5);
    expect(old.some((item) => engine.has(item.itemId))).to.equal(false);
    expect(recent.every((item) => engine.has(item.itemId))).to.equal(true);
  });

  it('discovers in two steps exactly as in one, and applies the groups to the engine as it is by then', () => {
    const items = topicItems(new TopicStream(), [0, 1, 2], 20);
    const one = createClusterEngine(settings(), { newId: counter() });
    feed(one, items, false);
    const whole = one.discover(T0 + DAY);

    const two = createClusterEngine(settings(), { newId: counter() });
    feed(two, items, false);
    const input = two.prepareDiscovery!(T0 + DAY);
    expect(input.itemIds).to.have.length(60);
    const split = two.completeDiscovery!(input, findGroups(input.vectors, input.options), T0 + DAY);
    expect(split).to.deep.equal(whole);
    expect(two.clusters()).to.deep.equal(one.clusters());

    // Items let go of while the groups were being found are skipped, not resurrected.
    const late = createClusterEngine(settings({ discoveryWindowMs: DAY, retireAfterMs: DAY }), {
      newId: counter(),
    });
    feed(late, items, false);
    const taken = late.prepareDiscovery!(T0 + HOUR);
    const groups = findGroups(taken.vectors, taken.options);
    late.maintain(T0 + 3 * DAY); // every pooled item is now older than the pool keeps
    expect(late.poolSize()).to.equal(0);
    expect(late.completeDiscovery!(taken, groups, T0 + 3 * DAY)).to.deep.equal([]);
    expect(items.some((item) => late.has(item.itemId))).to.equal(false);
  });

  it('counts items pooled while a split pass ran towards the next pass', () => {
    const stream = new TopicStream({ dim: 64 });
    const engine = createClusterEngine(settings({ discoveryPoolTrigger: 10, assignThreshold: 0.99 }), {
      newId: counter(),
    });
    feed(engine, topicItems(stream, [0], 5), false);
    const input = engine.prepareDiscovery!(T0 + HOUR);
    // Twelve items arrive while the groups are being found: none of them was looked at.
    feed(engine, topicItems(stream, [1], 12, T0 + HOUR), false);
    engine.completeDiscovery!(input, [], T0 + HOUR);
    expect(engine.pooledSinceDiscovery()).to.equal(12);
    const next = topicItems(stream, [2], 1, T0 + 2 * HOUR)[0]!;
    expect(engine.add(next, T0 + 2 * HOUR).discoveryDue).to.equal(true);
  });

  it('says a pass has something new to see even when the pool kept its size', () => {
    const stream = new TopicStream({ dim: 64 });
    const engine = createClusterEngine(settings({ assignThreshold: 0.99 }), { newId: counter() });
    feed(engine, topicItems(stream, [0, 1], 6), false);
    expect(engine.pooledSinceDiscovery()).to.equal(12);
    const input = engine.prepareDiscovery!(T0 + HOUR);
    // While the groups are found, twelve items of two other topics arrive; the pass then clusters twelve.
    feed(engine, topicItems(stream, [2, 3], 6, T0 + HOUR), false);
    engine.completeDiscovery!(input, findGroups(input.vectors, input.options), T0 + HOUR);
    expect(engine.clusters()).to.have.length(2);
    expect(engine.poolSize(), 'the same size as when the pass began').to.equal(12);
    expect(engine.pooledSinceDiscovery(), 'but none of these twelve was looked at').to.equal(12);
    engine.discover(T0 + 2 * HOUR);
    expect(engine.clusters()).to.have.length(4);
    expect(engine.pooledSinceDiscovery()).to.equal(0);
  });

  it('refuses a batch holding an invalid item before changing anything', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const good = topicItems(stream, [0], 3);
    const bad = { ...topicItems(stream, [1], 1, T0 + HOUR)[0]!, model: 'other-model' };
    expect(() => engine.addMany([...good, bad], T0 + HOUR))
      .to.throw(EngineError)
      .with.property('code', 'wrong_model');
    expect(good.some((item) => engine.has(item.itemId))).to.equal(false);
    expect(engine.poolSize()).to.equal(0);
  });

  it("discovery's leftover noise joins a broad cluster within its own reach, below the model threshold", () => {
    const tight = new TopicStream({ closeness: 0.95, seed: 3 });
    // A broad topic (members from 0.55 to 0.85 of its direction) beside a tight one: the broad
    // cluster's reach lies below the model threshold (0.6), so a straggler at 0.56–0.6 from its
    // centroid, pooled on arrival, joins it at the next discovery.
    // discoveryWindowMs 0: the second discovery looks at the pool alone, so the straggler is noise.
    const broadEngine = createClusterEngine(settings({ minClusterSize: 5, discoveryWindowMs: 0 }), {
      newId: counter(),
    });
    const spread = [0.55, 0.65, 0.75, 0.85].map(
      (closeness, i) => new TopicStream({ closeness, seed: 10 + i }),
    );
    const direction = tight.direction(1);
    const broad = Array.from({ length: 40 }, (_, i) => ({
      ...spread[i % 4]!.item(1, T0 + i * 60_000, direction),
      itemId: `broad-${i}`,
    }));
    // Three tight topics beside it keep the stream's background (about 0.46) below the straggler.
    feed(broadEngine, [...broad, ...topicItems(tight, [3, 4, 5], 10)], false);
    const first = broadEngine.discover(T0 + HOUR);
    expect(ofKind(first, 'cluster-created')).to.have.length(4);
    const broadId = membership(first).get('broad-0');
    const broadCluster = broadEngine.clusters().find((c) => c.clusterId === broadId)!;
    const centroid = broadCluster.centroid;
    const near = new TopicStream({ closeness: 0.58, seed: 20 });
    let late: EngineItem | undefined;
    for (let i = 0; i < 50 && !late; i++) {
      const candidate = { ...near.item(1, T0 + 2 * HOUR, centroid), itemId: `late-${i}` };
      const similarity = dotOf(candidate.vector, centroid);
      if (similarity < 0.6 && similarity > 0.56) late = candidate;
    }
    expect(broadEngine.add(late!, T0 + 2 * HOUR).changes[0]).to.include({
      clusterId: null,
      method: 'pooled',
    });
    const second = broadEngine.discover(T0 + 3 * HOUR);
    expect(ofKind(second, 'item-clustered')).to.deep.equal([
      {
        kind: 'item-clustered',
        itemId: late!.itemId,
        clusterId: broadCluster.clusterId,
        method: 'assigned',
        similarity: ofKind(second, 'item-clustered')[0]!.similarity,
      },
    ]);
    expect(membership(second).get(late!.itemId)).to.equal(broadCluster.clusterId);
  });

  it('extends an existing cluster when discovery finds more of its topic in the pool', () => {
    const stream = new TopicStream({ closeness: 0.8 });
    // A high bar for streaming assignment keeps the new items of topic 0 in the pool; the pass
    // counts as big, where a group's members join its cluster whatever their similarity.
    const engine = createClusterEngine(settings({ assignThreshold: 0.95 }), {
      newId: counter(),
      smallPass: 0,
    });
    feed(engine, topicItems(stream, [0, 1], 12), false);
    const created = ofKind(engine.discover(T0 + HOUR), 'cluster-created');
    expect(created).to.have.length(2);
    const id = created.find((change) => change.memberItemIds.length > 0)!.cluster.clusterId;
    const topicZero = new Set(created.find((c) => c.cluster.clusterId === id)!.memberItemIds);

    const more = topicItems(stream, [0], 12, T0 + 2 * HOUR);
    expect(topicZero.size).to.equal(12);
    feed(engine, more, false);
    const changes = engine.discover(T0 + 3 * HOUR);
    expect(ofKind(changes, 'cluster-created')).to.deep.equal([]);
    const updated = ofKind(changes, 'cluster-updated');
    expect(updated.map((change) => change.cluster.clusterId)).to.deep.equal([id]);
    expect(updated[0]!.addedItemIds).to.have.members(more.map((item) => item.itemId));
  });

  it('in a small pass, extends a cluster with grouped items whose nearest candidates are its members', () => {
    // The stream above, in a pass under SMALL_PASS: a matched group's pooled items join one by one,
    // each when most of its 3 nearest candidates belong to the cluster: new items of topic 0 that
    // sit among its members join, though below the streaming bar; topic 1's cluster is untouched.
    const stream = new TopicStream({ closeness: 0.8 });
    const engine = createClusterEngine(settings({ assignThreshold: 0.95 }), { newId: counter() });
    feed(engine, topicItems(stream, [0, 1], 12), false);
    const created = ofKind(engine.discover(T0 + HOUR), 'cluster-created');
    const topicZero = created.find((c) => c.memberItemIds.includes('item-00001'))!.cluster.clusterId;
    const more = topicItems(stream, [0], 12, T0 + 2 * HOUR);
    feed(engine, more, false);
    expect(engine.poolSize()).to.equal(12);
    const changes = engine.discover(T0 + 3 * HOUR);
    expect(ofKind(changes, 'cluster-created')).to.deep.equal([]);
    const updated = ofKind(changes, 'cluster-updated');
    expect(updated.map((change) => change.cluster.clusterId)).to.deep.equal([topicZero]);
    // Those among the cluster's members join; those nearer each other than the members wait (in this
    // stream 4 of the 12 still wait after five passes: the rule's price in small windows).
    const first = updated[0]!.addedItemIds;
    expect(first.length).to.be.within(1, 11);
    expect(more.map((item) => item.itemId)).to.include.members(first);
    expect(engine.poolSize()).to.equal(12 - first.length);
  });

  it('merges converging clusters, the smaller into the larger, moving its items', () => {
    const stream = new TopicStream();
    // Discovery over the pool only, and a merge bar the two clusters do not reach at first.
    const strict = settings({ assignThreshold: 0.95, mergeThreshold: 0.99, discoveryWindowMs: 0 });
    const ids = counter();
    const engine = createClusterEngine(strict, { newId: ids });
    // HDBSCAN never calls all its input one cluster, so each pass also sees an unrelated topic.
    const big = topicItems(stream, [0, 2], 20).filter((_, i) => i % 2 === 0);
    const other = topicItems(stream, [2], 20);
    const changes = [...feed(engine, [...big, ...other], false), ...engine.discover(T0 + DAY)];
    const near = stream.blend(0, 1, 0.25);
    const small = Array.from({ length: 8 }, (_, i) => stream.item(1, T0 + DAY + i * 60_000, near));
    const unrelated = topicItems(stream, [3], 8, T0 + DAY);
    changes.push(...feed(engine, [...small, ...unrelated], false), ...engine.discover(T0 + 2 * DAY));
    const clusters = engine.clusters().filter((cluster) => members0(cluster.clusterId));
    expect(clusters.map((cluster) => cluster.size).sort()).to.deep.equal([20, 8]);
    const bigId = clusters.find((cluster) => cluster.size === 20)!.clusterId;
    const smallCluster = clusters.find((cluster) => cluster.size === 8)!;

    // The operator lowers the merge bar below the two centroids’ similarity (~0.92) and restarts.
    const states = engine
      .clusters()
      .map((cluster) => JSON.parse(JSON.stringify(cluster, vectorsAsArrays)) as ClusterState);
    const members = membership(changes);
    const stored = [...big, ...other, ...small, ...unrelated].map((item) => ({
      ...item,
      clusterId: members.get(item.itemId) ?? null,
    }));
    const restarted = createClusterEngine(
      { ...strict, mergeThreshold: 0.85 },
      { newId: counter(ids.issued), snapshot: { clusters: states, items: stored } },
    );
    const maintained = restarted.maintain(T0 + 2 * DAY);
    const merged = ofKind(maintained, 'cluster-merged');

    expect(merged).to.have.length(1);
    expect(merged[0]!.cluster.clusterId).to.equal(smallCluster.clusterId);
    expect(merged[0]!.intoClusterId).to.equal(bigId);
    expect(merged[0]!.cluster.status).to.equal('merged');
    expect(merged[0]!.cluster.mergedInto).to.equal(bigId);
    expect(merged[0]!.cluster.version).to.equal(smallCluster.version + 1);
    expect(merged[0]!.movedItemIds).to.have.members(small.map((item) => item.itemId));
    expect(restarted.clusters().find((cluster) => cluster.clusterId === bigId)!.size).to.equal(28);
    expect(restarted.clusters().some((cluster) => cluster.clusterId === smallCluster.clusterId)).to.equal(
      false,
    );

    /** Clusters holding items of topic 0 or of the blend (not the unrelated topics). */
    function members0(clusterId: string): boolean {
      return [...big, ...small].some((item) => membership(changes).get(item.itemId) === clusterId);
    }
    const into = ofKind(maintained, 'cluster-updated').find((c) => c.cluster.clusterId === bigId)!;
    expect(into.addedItemIds).to.have.members(small.map((item) => item.itemId));
  });

  it('retires a cluster that has been quiet for retireAfterMs', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings({ retireAfterMs: 2 * DAY }), { newId: counter() });
    feed(engine, topicItems(stream, [0, 1], 10), false);
    engine.discover(T0 + HOUR);
    const clusters = engine.clusters();
    expect(clusters).to.have.length(2);

    expect(ofKind(engine.maintain(T0 + DAY), 'cluster-retired')).to.deep.equal([]);
    const retired = ofKind(engine.maintain(T0 + 3 * DAY), 'cluster-retired');
    expect(retired.map((change) => change.cluster.clusterId)).to.deep.equal(
      clusters.map((cluster) => cluster.clusterId),
    );
    expect(retired[0]!.cluster.status).to.equal('retired');
    expect(retired[0]!.cluster.version).to.be.greaterThan(clusters[0]!.version);
    expect(retired[0]!.reason).to.match(/no new item/);
    expect(engine.clusters()).to.deep.equal([]);
    // A new item of that topic no longer joins the retired cluster.
    const late = engine.add(stream.item(0, T0 + 3 * DAY), T0 + 3 * DAY);
    expect(ofKind(late.changes, 'item-clustered')[0]!.clusterId).to.equal(null);
  });

  it('bumps a cluster version by exactly one per announced change', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const changes = [
      ...feed(engine, topicItems(stream, [0, 1, 2], 30)),
      ...engine.discover(T0 + DAY),
      ...engine.maintain(T0 + DAY),
    ];
    const versions = new Map<string, number[]>();
    for (const change of changes) {
      if (change.kind === 'item-clustered') continue;
      const id = change.cluster.clusterId;
      if (!versions.has(id)) versions.set(id, []);
      versions.get(id)!.push(change.cluster.version);
    }
    expect(versions.size).to.be.greaterThan(0);
    for (const [id, seen] of versions) expect(seen, id).to.deep.equal(seen.map((_, i) => i + 1));
  });

  it('restored from its announced states, continues exactly as if never restarted', () => {
    const stream = new TopicStream();
    const items = topicItems(stream, [0, 1, 2, 3], 30);
    const [first, second] = [items.slice(0, 70), items.slice(70)];
    const run = (engine: ClusterEngine, part: EngineItem[]) => {
      const changes = feed(engine, part);
      const end = part.at(-1)!.publishedAt;
      changes.push(...engine.discover(end), ...engine.maintain(end));
      return changes;
    };

    const ids = counter();
    const original = createClusterEngine(settings(), { newId: ids });
    const before = run(original, first);

    // What the service stores: each cluster's latest announced state, and every item with its cluster.
    const states = new Map<string, ClusterState>();
    for (const change of before)
      if (change.kind !== 'item-clustered') states.set(change.cluster.clusterId, change.cluster);
    const members = membership(before);
    const stored: StoredItem[] = first.map((item) => ({
      ...item,
      clusterId: members.get(item.itemId) ?? null,
    }));
    const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value, vectorsAsArrays)) as T;
    const restored = createClusterEngine(settings(), {
      newId: counter(ids.issued),
      snapshot: {
        clusters: roundTrip([...states.values()]),
        items: roundTrip(stored),
      },
    });

    expect(restored.clusters().map(comparable)).to.deep.equal(original.clusters().map(comparable));
    expect(restored.poolSize()).to.equal(original.poolSize());
    expect(restored.pooledSinceDiscovery(), 'a restored pool is new to the restored engine').to.equal(
      restored.poolSize(),
    );
    const after = run(original, second);
    const afterRestore = run(restored, second);
    expect(afterRestore.map(comparableChange)).to.deep.equal(after.map(comparableChange));
  });

  describe('against the background of the stream', () => {
    /**
     * Embeddings that share one large direction, as sentence embeddings do: every topic leans
     * towards topic 99, so items of unrelated topics sit at about 0.66 to each other's centroids,
     * above the 0.55 a model's calibrated threshold may be.
     */
    function leaning(stream: TopicStream, topic: number, at: number): EngineItem {
      return stream.item(topic, at, stream.blend(99, topic, 0.35));
    }
    const loose = () => settings({ assignThreshold: 0.55, minClusterSize: 8, minSamples: 4 });
    // Enough dimensions that the random topic directions are nearly orthogonal before leaning.
    const wide = () => new TopicStream({ dim: 256 });

    it('does not let a cluster take items of another topic that merely share the common direction', () => {
      const stream = wide();
      const engine = createClusterEngine(loose(), { newId: counter() });
      const first = Array.from({ length: 40 }, (_, i) => leaning(stream, i % 2, T0 + i * 60_000));
      engine.addMany(first, T0 + HOUR);
      const created = ofKind(engine.discover(T0 + HOUR), 'cluster-created');
      expect(created, 'two topics, two clusters').to.have.length(2);
      const own = leaning(stream, 0, T0 + 2 * HOUR);
      const other = leaning(stream, 3, T0 + 2 * HOUR);
      const ownCentroid = created.find((c) => c.memberItemIds.includes(first[0]!.itemId))!.cluster.centroid;
      expect(cosine(other.vector, ownCentroid), 'above the calibrated threshold').to.be.greaterThan(0.55);
      const placed = membership(engine.addMany([own, other], T0 + 2 * HOUR).changes);
      expect(placed.get(own.itemId), 'its own topic joins').to.be.a('string');
      expect(placed.get(other.itemId), 'an unrelated topic waits in the pool').to.equal(null);
    });

    it('does not call a group a topic when it is no tighter than the stream around it', () => {
      const stream = wide();
      const engine = createClusterEngine(loose(), { newId: counter() });
      // One dense topic among twelve thin ones (three items each): density clustering splits the
      // window into the dense topic and "the rest".
      const items: EngineItem[] = [];
      for (let i = 0; i < 16; i++) items.push(leaning(stream, 0, T0 + items.length * 60_000));
      for (let t = 1; t <= 12; t++)
        for (let i = 0; i < 3; i++) items.push(leaning(stream, t, T0 + items.length * 60_000));
      engine.addMany(items, T0 + HOUR);
      const created = ofKind(engine.discover(T0 + HOUR), 'cluster-created');
      expect(created.map((c) => c.memberItemIds.length)).to.deep.equal([16]);
      const dense = new Set(items.slice(0, 16).map((item) => item.itemId));
      expect(created[0]!.memberItemIds.every((id) => dense.has(id))).to.equal(true);
      expect(engine.poolSize(), 'the thin topics wait for more of their items').to.equal(36);
    });
  });

  it('rejects items it cannot cluster with a clear error', () => {
    const stream = new TopicStream();
    const engine = createClusterEngine(settings(), { newId: counter() });
    const item = stream.item(0, T0);
    expect(() => engine.add({ ...item, model: 'other-model' }, T0))
      .to.throw(EngineError, /other-model/)
      .with.property('code', 'wrong_model');
    expect(() => engine.add({ ...item, vector: item.vector.map((v) => v * 3) }, T0))
      .to.throw(EngineError, /unit length/)
      .with.property('code', 'invalid_item');
    engine.add(item, T0);
    const shorter = stream.item(0, T0);
    expect(() => engine.add({ ...shorter, vector: shorter.vector.subarray(0, 8) }, T0)).to.throw(
      EngineError,
      /dimensions/,
    );
  });
});

function vectorsAsArrays(_key: string, value: unknown): unknown {
  return value instanceof Float32Array ? Array.from(value) : value;
}

function comparable(cluster: ClusterState): unknown {
  return JSON.parse(JSON.stringify(cluster, vectorsAsArrays));
}

function comparableChange(change: EngineChange): unknown {
  return JSON.parse(JSON.stringify(change, vectorsAsArrays));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
}
