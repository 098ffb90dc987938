import { expect } from 'chai';
import { EVENT_TYPES, parseEvent } from '@trendmill/shared-contracts';
import type { ClusterState, EngineChange } from '../domain/index.js';
import { eventsForChanges, versionedId } from './change-events.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');

function cluster(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    clusterId: 'c1',
    model: 'm1',
    version: 1,
    status: 'emerging',
    size: 3,
    centroid: new Float32Array([1, 0]),
    label: 'Moon · Lander',
    keywords: [{ term: 'moon', weight: 0.4 }],
    representativeItemIds: ['a', 'b'],
    emergingScore: 2.5,
    velocity: 1,
    createdAt: NOW - 1000,
    updatedAt: NOW,
    lastItemAt: NOW - 500,
    internal: {},
    ...overrides,
  };
}

const decode = (changes: EngineChange[]) =>
  eventsForChanges(changes, { model: 'm1', now: NOW, correlationid: 'corr-1' }).map((m) => {
    const parsed = parseEvent(m.body);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(m.id).to.equal(parsed.event.id);
    expect(m.key).to.equal(parsed.event.subject);
    return parsed.event;
  });

describe('eventsForChanges', () => {
  it('announces every kind of change as a valid event, in order, keyed by its entity', () => {
    const events = decode([
      { kind: 'item-clustered', itemId: 'i1', clusterId: null, method: 'pooled' },
      { kind: 'cluster-created', cluster: cluster(), memberItemIds: ['a', 'b', 'c'] },
      { kind: 'cluster-updated', cluster: cluster({ version: 2, status: 'active' }), addedItemIds: ['d'] },
      {
        kind: 'cluster-merged',
        cluster: cluster({ clusterId: 'c2', version: 4, status: 'merged', mergedInto: 'c1' }),
        intoClusterId: 'c1',
        movedItemIds: ['x'],
      },
      { kind: 'cluster-retired', cluster: cluster({ version: 3, status: 'retired' }), reason: 'quiet' },
    ]);
    expect(events.map((e) => [e.type, e.subject])).to.deep.equal([
      [EVENT_TYPES.itemClustered, 'i1'],
      [EVENT_TYPES.clusterCreated, 'c1'],
      [EVENT_TYPES.clusterUpdated, 'c1'],
      [EVENT_TYPES.clusterMerged, 'c2'],
      [EVENT_TYPES.clusterRetired, 'c1'],
    ]);
    expect(events.every((e) => e.correlationid === 'corr-1' && e.source === '/trendmill/clusterer')).to.equal(
      true,
    );
    expect(events[0]!.data).to.deep.equal({
      itemId: 'i1',
      clusterId: null,
      method: 'pooled',
      model: 'm1',
      clusteredAt: '2026-12-01T12:00:00.000Z',
    });
    expect(events[1]!.data).to.deep.include({ version: 1, size: 3, memberItemIds: ['a', 'b', 'c'] });
    expect(events[2]!.data).to.deep.include({ version: 2, status: 'active', addedItemIds: ['d'] });
    expect(events[3]!.data).to.deep.include({ version: 4, intoClusterId: 'c1', movedItemIds: ['x'] });
    expect(events[4]!.data).to.deep.include({ version: 3, reason: 'quiet' });
  });

  it('gives a cluster state the same event id every time, and each version its own', () => {
    const change = (version: number): EngineChange => ({
      kind: 'cluster-updated',
      cluster: cluster({ version }),
      addedItemIds: [],
    });
    const [a] = decode([change(2)]);
    const [b] = decode([change(2)]);
    const [c] = decode([change(3)]);
    expect(a!.id)
      .to.equal(b!.id)
      .and.to.equal(versionedId(EVENT_TYPES.clusterUpdated, { clusterId: 'c1', version: 2 }));
    expect(c!.id).to.not.equal(a!.id);
  });

  it('keeps what the schemas bound: finite numbers, similarity in [-1, 1], long labels cut', () => {
    const [pooled, created] = decode([
      { kind: 'item-clustered', itemId: 'i1', clusterId: 'c1', method: 'assigned', similarity: 1.0000001 },
      {
        kind: 'cluster-created',
        cluster: cluster({ emergingScore: Number.NaN, label: 'x'.repeat(400) }),
        memberItemIds: [],
      },
    ]);
    expect(pooled!.data).to.include({ similarity: 1 });
    expect(created!.data).to.include({ emergingScore: 0 });
    expect((created!.data as { label: string }).label).to.have.length(300);
  });
});
