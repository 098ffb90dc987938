import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogWriter, decodeRecords, encodeRecord, readLog, type LogRecord } from './wal.js';

describe('append-only log', () => {
  const dim = 3;
  const upsert: LogRecord = {
    op: 'upsert',
    ids: ['a', 'b'],
    payloads: [{ lang: 'en' }, {}],
    vectors: Float32Array.of(1, 0, 0, 0, 0.6, 0.8),
  };
  const del: LogRecord = { op: 'delete', ids: ['a'] };

  it('round-trips upserts and deletes', () => {
    const bytes = Buffer.concat([encodeRecord(upsert, dim), encodeRecord(del, dim)]);
    const { records, validBytes } = decodeRecords(bytes, dim);
    expect(validBytes).to.equal(bytes.length);
    expect(records).to.deep.equal([upsert, del]);
  });

  it('stops at a torn tail and reports where the whole records end', () => {
    const first = encodeRecord(upsert, dim);
    const second = encodeRecord(del, dim);
    const bytes = Buffer.concat([first, second.subarray(0, second.length - 3)]);
    const { records, validBytes } = decodeRecords(bytes, dim);
    expect(records).to.deep.equal([upsert]);
    expect(validBytes).to.equal(first.length);
  });

  it('stops at a record whose checksum does not match', () => {
    const first = encodeRecord(upsert, dim);
    const second = Buffer.from(encodeRecord(del, dim));
    second[second.length - 2] = second[second.length - 2]! ^ 0xff;
    const { records, validBytes } = decodeRecords(Buffer.concat([first, second]), dim);
    expect(records).to.have.length(1);
    expect(validBytes).to.equal(first.length);
  });

  it('refuses a record whose vectors do not fit the dimension', () => {
    expect(decodeRecords(encodeRecord(upsert, dim), 4).records).to.deep.equal([]);
  });

  it('the writer cuts a torn tail before appending, so later records stay readable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trendmill-wal-'));
    try {
      const path = join(dir, 'log-0.wal');
      const whole = encodeRecord(upsert, dim);
      await writeFile(path, Buffer.concat([whole, Buffer.from([9, 9, 9])]));
      const read = readLog(path, dim);
      expect(read.size).to.equal(whole.length + 3);
      const writer = new LogWriter(path, dim, true, read.validBytes);
      writer.append(del);
      writer.close();
      expect(readLog(path, dim).records).to.deep.equal([upsert, del]);
      expect((await readFile(path)).length).to.equal(whole.length + encodeRecord(del, dim).length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
