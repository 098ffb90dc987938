import { expect } from 'chai';
import { findGroups } from '../domain/find-groups.js';
import { TopicStream } from '../domain/testing/topics.js';
import { packTask } from './find-groups-task.js';
import { workerGroupFinder } from './group-finder.js';

const OPTIONS = { minClusterSize: 5, minSamples: 3, dimensions: 15 };

function vectorsOfTopics(topics: number, perTopic: number): Float32Array[] {
  const stream = new TopicStream();
  const vectors: Float32Array[] = [];
  for (let i = 0; i < perTopic; i++)
    for (let topic = 0; topic < topics; topic++) vectors.push(stream.item(topic, i).vector);
  return vectors;
}

describe('workerGroupFinder', () => {
  it('finds in a worker thread exactly the groups findGroups finds inline', async () => {
    const vectors = vectorsOfTopics(4, 25);
    const finder = workerGroupFinder();
    try {
      const groups = await finder.find(vectors, OPTIONS);
      expect(groups).to.have.length(4);
      expect(groups).to.deep.equal(findGroups(vectors, OPTIONS));
      // The thread is reused for the next pass.
      expect(await finder.find(vectors.slice(0, 50), OPTIONS)).to.deep.equal(
        findGroups(vectors.slice(0, 50), OPTIONS),
      );
    } finally {
      await finder.close();
    }
  });

  it('refuses work once closed', async () => {
    const finder = workerGroupFinder();
    await finder.close();
    const refused = await finder.find(vectorsOfTopics(2, 10), OPTIONS).catch((err: unknown) => err);
    expect(refused)
      .to.be.instanceOf(Error)
      .with.property('message')
      .that.matches(/closed/);
  });

  it('lets a pass in flight finish when closed, instead of terminating its thread', async () => {
    // Terminating the thread inside usearch's native code aborts the process (see workerGroupFinder).
    const vectors = vectorsOfTopics(4, 400);
    const finder = workerGroupFinder();
    const pass = finder.find(vectors, OPTIONS);
    await finder.close();
    expect(await pass).to.deep.equal(findGroups(vectors, OPTIONS));
  });

  it('packs rows of one length and refuses a ragged one', () => {
    const task = packTask([Float32Array.of(1, 2), Float32Array.of(3, 4)], OPTIONS);
    expect(task).to.include({ rows: 2, dim: 2 });
    expect([...new Float32Array(task.buffer)]).to.deep.equal([1, 2, 3, 4]);
    expect(() => packTask([Float32Array.of(1, 2), Float32Array.of(3)], OPTIONS)).to.throw(
      RangeError,
      /row 1 has 1 dimensions, not 2/,
    );
  });
});
