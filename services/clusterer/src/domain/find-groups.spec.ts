import { expect } from 'chai';
import { gaussian, normalize, seededRandom } from '../algorithms/hdbscan/testing/synthetic.js';
import { findGroups, SECOND_LOOK_SHARE } from './find-groups.js';

/** Seeded gaussian points: `count` around `centre` with per-axis spread `sd`, unit-normalised. */
function blob(random: () => number, centre: number[], count: number, sd: number): Float32Array[] {
  return Array.from({ length: count }, () => normalize(centre.map((c) => c + sd * gaussian(random))));
}

const DIM = 12;
const axis = (i: number, scale = 1) => Array.from({ length: DIM }, (_, d) => (d === i ? scale : 0));
const plus = (a: number[], b: number[]) => a.map((x, d) => x + b[d]!);
const OPTIONS = { minClusterSize: 20, minSamples: 10, dimensions: 2 };

/** Which groups the rows of each labelled range fall in (a set of group indexes per range). */
function groupsOf(groups: number[][], ranges: Array<[number, number]>): Array<Set<number>> {
  return ranges.map(([from, to]) => {
    const found = new Set<number>();
    groups.forEach((group, g) => {
      if (group.some((row) => row >= from && row < to)) found.add(g);
    });
    return found;
  });
}

describe('findGroups', () => {
  it('takes a second look at a large group and splits it into the topics the pass-wide projection ran together', () => {
    const random = seededRandom(3);
    // Three topics far apart on axes 0–2 fill the two projected dimensions; the fourth "group" is
    // two tight topics apart only along axes 4 and 5, which that projection cannot see.
    const mixedCentre = axis(3, 1);
    const points = [
      ...blob(random, axis(0, 1), 60, 0.05),
      ...blob(random, axis(1, 1), 60, 0.05),
      ...blob(random, axis(2, 1), 60, 0.05),
      ...blob(random, plus(mixedCentre, axis(4, 0.35)), 40, 0.03),
      ...blob(random, plus(mixedCentre, axis(5, 0.35)), 40, 0.03),
    ];
    expect(80 / points.length).to.be.greaterThan(SECOND_LOOK_SHARE);
    const groups = findGroups(points, OPTIONS);
    const [a, b, c, left, right] = groupsOf(groups, [
      [0, 60],
      [60, 120],
      [120, 180],
      [180, 220],
      [220, 260],
    ]);
    for (const topic of [a, b, c, left, right]) expect(topic!.size, 'each topic in one group').to.equal(1);
    const distinct = new Set([a, b, c, left, right].map((topic) => [...topic!][0]));
    expect(distinct.size, 'five topics, five groups').to.equal(5);
    // Every row of the two hidden topics is in its own topic's group (nothing of one in the other).
    const leftGroup = groups[[...left!][0]!]!;
    expect(leftGroup.every((row) => row >= 180 && row < 220)).to.equal(true);
  });

  it('leaves a large group whole when it is one broad topic rather than several', () => {
    const random = seededRandom(5);
    const points = [
      ...blob(random, axis(0, 1), 60, 0.05),
      ...blob(random, axis(1, 1), 60, 0.05),
      // One broad topic: a single wide cloud, no dense parts of its own.
      ...blob(random, axis(3, 1), 120, 0.12),
    ];
    const groups = findGroups(points, OPTIONS);
    const [, , broad] = groupsOf(groups, [
      [0, 60],
      [60, 120],
      [120, 240],
    ]);
    expect(broad!.size, 'the broad topic stays one group').to.equal(1);
    expect(groups).to.have.length(3);
  });

  it('is deterministic and gives nothing for fewer points than a group needs', () => {
    const random = seededRandom(9);
    const points = [...blob(random, axis(0, 1), 40, 0.05), ...blob(random, axis(1, 1), 40, 0.05)];
    expect(findGroups(points, OPTIONS)).to.deep.equal(findGroups(points, OPTIONS));
    expect(findGroups(points.slice(0, 5), OPTIONS)).to.deep.equal([]);
  });
});
