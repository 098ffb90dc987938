/** One physical line of a file, without its line break. */
export interface RawLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  number: number;
  /** The line's bytes (a trailing CR and a leading UTF-8 BOM removed); undefined when it was too long. */
  bytes: Buffer | undefined;
  /** Byte offset just past this line (and its line break) in the file: how far the import got. */
  end: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a byte stream into lines without ever holding more than one line (plus one chunk) in
 * memory. readline would do the splitting, but it buffers a line of any length: a multi-gigabyte
 * file with no line breaks would exhaust memory. Here a line past `maxLineBytes` is dropped as it
 * streams by and reported with `bytes: undefined`, so the caller can reject it by number.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  { maxLineBytes }: { maxLineBytes: number },
): AsyncGenerator<RawLine> {
  let number = 0;
  let offset = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;

  const finish = (end: number): RawLine => {
    number++;
    let bytes: Buffer | undefined;
    if (!tooLong) {
      bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
      if (number === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    }
    pending = [];
    pendingBytes = 0;
    tooLong = false;
    return { number, bytes, end };
  };
  const keep = (part: Buffer) => {
    if (tooLong || part.length === 0) return;
    // +1: the CR a CRLF line ends with is kept until the line ends, so allow for it.
    if (pendingBytes + part.length > maxLineBytes + 1) {
      tooLong = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  };

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      keep(chunk.subarray(start, at));
      const line = finish(offset + at + 1);
      // A CRLF line one byte over the limit was let through by `keep`; hold it to the limit here.
      if (line.bytes && line.bytes.length > maxLineBytes) line.bytes = undefined;
      yield line;
      start = at + 1;
    }
    keep(chunk.subarray(start));
    offset += chunk.length;
  }
  if (pendingBytes > 0 || tooLong) {
    const line = finish(offset);
    if (line.bytes && line.bytes.length > maxLineBytes) line.bytes = undefined;
    yield line;
  }
}
