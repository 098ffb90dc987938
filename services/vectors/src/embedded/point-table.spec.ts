import { expect } from 'chai';
import { PointTable } from './point-table.js';

describe('PointTable', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);

  it('adds, replaces in place and removes points', () => {
    const table = new PointTable(2, 1);
    expect(table.set('a', v(1, 0), { n: 1 })).to.deep.equal({ row: 0, replaced: false });
    expect(table.set('b', v(0, 1), {})).to.deep.equal({ row: 1, replaced: false });
    expect(table.set('a', v(0.6, 0.8), { n: 2 })).to.deep.equal({ row: 0, replaced: true });
    expect(table.size).to.equal(2);
    expect(Array.from(table.vectorAt(0))).to.deep.equal([Math.fround(0.6), Math.fround(0.8)]);
    expect(table.payloadAt(0)).to.deep.equal({ n: 2 });
    expect(table.remove('a')).to.equal(0);
    expect(table.remove('a')).to.equal(undefined);
    expect(table.size).to.equal(1);
    expect(table.isLive(0)).to.equal(false);
    expect(Array.from(table.vectorAt(0))).to.deep.equal([0, 0]);
    expect([...table.liveRows()]).to.deep.equal([1]);
  });

  it('reuses freed rows before growing, and grows past its initial capacity', () => {
    const table = new PointTable(3, 1);
    for (let i = 0; i < 10; i++) table.set(`p${i}`, v(i, 1, 0), {});
    expect(table.rowsUsed).to.equal(10);
    table.remove('p4');
    expect(table.set('new', v(0, 0, 1), {}).row).to.equal(4);
    expect(table.rowsUsed).to.equal(10);
    expect(table.matrix().length).to.equal(30);
    expect(Array.from(table.vectorAt(9))).to.deep.equal([9, 1, 0]);
  });

  it('restores a captured image with the same rows, ids, payloads and free rows', () => {
    const table = new PointTable(2);
    table.set('a', v(1, 0), { x: 'a' });
    table.set('b', v(0, 1), { x: 'b' });
    table.set('c', v(1, 1), { x: 'c' });
    table.remove('b');
    const image = table.capture();
    table.set('d', v(5, 5), {}); // the capture is a copy, unaffected by later writes
    expect(image.ids).to.deep.equal(['a', null, 'c']);
    const restored = PointTable.restore(image);
    expect(restored.size).to.equal(2);
    expect(restored.row('c')).to.equal(2);
    expect(restored.payloadAt(2)).to.deep.equal({ x: 'c' });
    expect(restored.freeCount).to.equal(1);
    expect(restored.set('e', v(0, 1), {}).row).to.equal(1);
  });
});
