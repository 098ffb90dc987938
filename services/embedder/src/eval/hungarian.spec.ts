import { expect } from 'chai';
import { maxWeightAssignment, minCostAssignment } from './hungarian.js';
import { seededRandom } from './random.js';

/** Cheapest assignment by trying every injective map of rows to columns (rows ≤ columns). */
function bruteForce(cost: number[][]): number {
  const rows = cost.length;
  const cols = cost[0]!.length;
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const walk = (row: number, total: number) => {
    if (row === rows) {
      best = Math.min(best, total);
      return;
    }
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      walk(row + 1, total + cost[row]![c]!);
      used[c] = false;
    }
  };
  walk(0, 0);
  return best;
}

function total(cost: number[][], assignment: number[]): number {
  return assignment.reduce((sum, col, row) => sum + (col >= 0 ? cost[row]![col]! : 0), 0);
}

describe('Hungarian assignment', () => {
  it('solves a known 3×3 problem', () => {
    // Classic example: optimum 5 (row 0 → col 1, row 1 → col 0, row 2 → col 2).
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    expect(minCostAssignment(cost)).to.deep.equal([1, 0, 2]);
    expect(total(cost, minCostAssignment(cost))).to.equal(5);
  });

  it('matches brute force on random square and rectangular matrices', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(random() * 6);
      const cols = 1 + Math.floor(random() * 6);
      const integers = trial % 2 === 0; // integer costs produce many ties
      const cost = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (integers ? Math.floor(random() * 5) : random() * 100 - 50)),
      );
      const assignment = minCostAssignment(cost);
      expect(assignment).to.have.length(rows);
      const assigned = assignment.filter((col) => col >= 0);
      expect(assigned).to.have.length(Math.min(rows, cols));
      expect(new Set(assigned).size).to.equal(assigned.length);
      const optimum =
        rows <= cols
          ? bruteForce(cost)
          : bruteForce(Array.from({ length: cols }, (_, j) => cost.map((row) => row[j]!)));
      expect(total(cost, assignment)).to.be.closeTo(optimum, 1e-9);
    }
  });

  it('maximises weight for ACC and handles a 100×100 problem', () => {
    const random = seededRandom(5);
    const size = 100;
    // A hidden permutation carries the largest weights: the assignment must find it.
    const permutation = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    const weight = Array.from({ length: size }, (_, r) =>
      Array.from({ length: size }, (_, c) => (permutation[r] === c ? 1000 : Math.floor(random() * 100))),
    );
    expect(maxWeightAssignment(weight)).to.deep.equal(permutation);
  });

  it('handles empty input and refuses ragged or non-finite matrices', () => {
    expect(minCostAssignment([])).to.deep.equal([]);
    expect(() => minCostAssignment([[1, 2], [3]])).to.throw(RangeError, /equal length/);
    expect(() => minCostAssignment([[1, NaN]])).to.throw(RangeError, /finite/);
  });
});
