import { expect } from 'chai';
import { CentroidIndex } from './centroid-index.js';
import { TopicStream } from './testing/topics.js';

describe('CentroidIndex', () => {
  const stream = new TopicStream({ dim: 24, seed: 3 });

  it('finds the most similar centroid, ties by key, skipping one on request', () => {
    const index = new CentroidIndex(24);
    for (let topic = 0; topic < 5; topic++) index.set(`t${topic}`, stream.direction(topic));
    const item = stream.item(2, 0);
    expect(index.nearest(item.vector, 1)[0]!.key).to.equal('t2');
    expect(index.nearest(item.vector, 2, 't2').map((n) => n.key)).to.not.include('t2');
    index.set('a-copy', stream.direction(2));
    expect(index.nearest(stream.direction(2), 2).map((n) => n.key)).to.deep.equal(['a-copy', 't2']);
  });

  it('forgets deleted centroids and keeps the others findable', () => {
    const index = new CentroidIndex(24);
    for (let topic = 0; topic < 6; topic++) index.set(`t${topic}`, stream.direction(topic));
    index.delete('t1');
    index.delete('t5');
    expect(index.size).to.equal(4);
    for (const topic of [0, 2, 3, 4])
      expect(index.nearest(stream.direction(topic))[0]!.key).to.equal(`t${topic}`);
    expect(index.nearest(stream.direction(1))[0]!.key).to.not.equal('t1');
  });

  it('answers through the graph above exactBelow as the exact scan does, as centroids move', () => {
    const graph = new CentroidIndex(24, { exactBelow: 50 });
    const topics = 200;
    for (let topic = 0; topic < topics; topic++) graph.set(`t${topic}`, stream.direction(topic));
    // Move every tenth centroid far enough to force re-insertion.
    for (let topic = 0; topic < topics; topic += 10)
      graph.set(`t${topic}`, stream.blend(topic, topic + 1, 0.3));
    graph.delete('t7');
    let agree = 0;
    const queries = 300;
    for (let i = 0; i < queries; i++) {
      const item = stream.item(i % topics, 0);
      if (graph.nearest(item.vector)[0]!.key === graph.nearestExact(item.vector)[0]!.key) agree++;
    }
    expect(agree / queries).to.be.at.least(0.99);
  });
});
