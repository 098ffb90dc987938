import { createReadStream } from 'node:fs';
import { classifyLine } from './classify-line.js';
import { PayloadTooLargeError, type BatchAnswer, type CollectorClient } from './collector-client.js';
import { ImportError } from './import-error.js';
import { ImportTally, type ImportCounts } from './import-tally.js';
import { readLines } from './line-reader.js';

/**
 * Request bodies are kept under this, below the collector's default limit (5 MiB), so a batch of
 * long posts is split by size before the collector has to refuse it.
 */
export const DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Longer lines are rejected here: no item the collector accepts is anywhere near as long. */
export const DEFAULT_MAX_LINE_BYTES = DEFAULT_MAX_BATCH_BYTES - 4096;
/** How often (in lines) progress is reported between batches. */
const PROGRESS_EVERY_LINES = 1000;

export interface ImportFileOptions {
  file: string;
  /** The source label the items are filed under. */
  source: string;
  /** Most items per request. */
  batchSize: number;
  maxBatchBytes?: number;
  maxLineBytes?: number;
  /** The first line to import (1-based); earlier lines are skipped unread, to resume a stopped import. */
  fromLine?: number;
  client: Pick<CollectorClient, 'postBatch'>;
  onProgress?: (progress: ImportProgress) => void;
  /** Called before each request, with the line its first item is on (for retry messages). */
  onSend?: (firstLine: number, items: number) => void;
  /** Aborting stops the import at the first line not yet settled (Ctrl-C). */
  signal?: AbortSignal;
}

export interface ImportProgress {
  /** Bytes of the file read so far: what a progress bar can measure against the file size. */
  bytesRead: number;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface ImportReport extends ImportCounts {
  file: string;
  source: string;
  /** The collector's source the items went to; null when no line reached it. */
  sourceId: string | null;
  /** Lines read and settled (blank ones included), from `fromLine` on. */
  lines: number;
  fromLine: number;
  seconds: number;
}

/** The import could not go on; everything before `resumeFromLine` is settled and in `report`. */
export class ImportStoppedError extends Error {
  override readonly name = 'ImportStoppedError';
  constructor(
    readonly reason: ImportError,
    readonly report: ImportReport,
    readonly resumeFromLine: number,
  ) {
    super(`${reason.message}; stopped at line ${resumeFromLine}`, { cause: reason });
  }
}

interface PendingItem {
  line: number;
  json: string;
}

type Outcome = { line: number } & (
  { status: 'accepted' | 'duplicate' } | { status: 'rejected'; code: string; message: string }
);

/**
 * Streams a JSONL file into the collector: one line at a time from disk, lines that cannot be
 * items rejected here, the rest sent in batches (by count and by bytes) to `POST /ingest/batch`,
 * and every per-item answer mapped back to its line number. Batches go one after another, so
 * when the import stops, every line before the failed batch is settled and the import can resume
 * from exactly there (re-sending a line is harmless: the collector answers it as a duplicate).
 */
export async function importFile(options: ImportFileOptions): Promise<ImportReport> {
  const started = performance.now();
  const fromLine = options.fromLine ?? 1;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const prefix = `{"sourceType":"jsonl","source":${JSON.stringify(options.source)},"items":[`;
  const emptyBodyBytes = Buffer.byteLength(prefix) + 2;

  const tally = new ImportTally();
  let sourceId: string | null = null;
  let lines = 0;
  let bytesRead = 0;
  let batch: PendingItem[] = [];
  let batchBytes = emptyBodyBytes;
  // Lines rejected here while a batch is pending are settled with it, in line order, so that a
  // stop in that batch leaves the tally describing exactly the lines before the stop.
  let held: Outcome[] = [];

  const report = (settledLines: number): ImportReport => ({
    file: options.file,
    source: options.source,
    sourceId,
    lines: settledLines,
    fromLine,
    ...tally.snapshot(),
    seconds: Math.round(performance.now() - started) / 1000,
  });
  const bodyBytesOf = (items: PendingItem[]) =>
    items.reduce((n, i) => n + Buffer.byteLength(i.json) + 1, emptyBodyBytes);
  const progress = () => options.onProgress?.({ bytesRead, lines, ...tally.counts() });
  const settle = (outcomes: Outcome[]) => {
    for (const o of outcomes) {
      if (o.status === 'rejected') tally.reject(o.line, o.code, o.message);
      else if (o.status === 'accepted') tally.accept();
      else tally.duplicate();
    }
  };
  const stop = (reason: ImportError, resumeFromLine: number): never => {
    settle(held.filter((o) => o.line < resumeFromLine));
    held = [];
    throw new ImportStoppedError(reason, report(resumeFromLine - fromLine), resumeFromLine);
  };

  /** Sends items, halving on 413; settles each request's answers as they come. */
  const send = async (items: PendingItem[], bodyBytes: number): Promise<Outcome[]> => {
    let answer: BatchAnswer;
    options.onSend?.(items[0]!.line, items.length);
    try {
      answer = await options.client.postBatch(`${prefix}${items.map((i) => i.json).join(',')}]}`);
    } catch (err) {
      if (!(err instanceof PayloadTooLargeError)) throw err;
      if (items.length === 1)
        throw new ImportError(
          'payload_too_large',
          `line ${items[0]!.line} (${Buffer.byteLength(items[0]!.json)} bytes) is larger than the collector accepts in one request (HTTP 413)`,
        );
      // The collector's limit is below this size: keep later batches under half of it too.
      maxBatchBytes = Math.min(maxBatchBytes, Math.floor(bodyBytes / 2));
      const half = Math.ceil(items.length / 2);
      const [first, second] = [items.slice(0, half), items.slice(half)];
      const done = await send(first, bodyBytesOf(first));
      try {
        return [...done, ...(await send(second, bodyBytesOf(second)))];
      } catch (later) {
        if (later instanceof PartlySent) throw new PartlySent([...done, ...later.outcomes], later.error);
        throw new PartlySent(done, later);
      }
    }
    sourceId = answer.sourceId ?? sourceId;
    return outcomesOf(items, answer);
  };

  const flush = async () => {
    if (batch.length === 0) {
      settle(held);
      held = [];
      return;
    }
    const items = batch;
    const bodyBytes = batchBytes;
    batch = [];
    batchBytes = emptyBodyBytes;
    let outcomes: Outcome[];
    try {
      outcomes = await send(items, bodyBytes);
    } catch (err) {
      const sent = err instanceof PartlySent ? err.outcomes : [];
      const cause = err instanceof PartlySent ? err.error : err;
      if (!(cause instanceof ImportError)) throw cause;
      held.push(...sent);
      held.sort((a, b) => a.line - b.line);
      return stop(cause, items[sent.length]!.line);
    }
    held.push(...outcomes);
    held.sort((a, b) => a.line - b.line);
    settle(held);
    held = [];
    progress();
  };

  const input = createReadStream(options.file, { highWaterMark: 256 * 1024 });
  for await (const raw of readLines(input, { maxLineBytes })) {
    if (raw.number < fromLine) continue;
    if (options.signal?.aborted)
      stop(new ImportError('interrupted', 'interrupted'), batch[0]?.line ?? held[0]?.line ?? raw.number);
    const line = classifyLine(raw.bytes, maxLineBytes);
    if (line.kind === 'item') {
      if (batch.length > 0 && batchBytes + line.bytes + 1 > maxBatchBytes) await flush();
      batch.push({ line: raw.number, json: line.json });
      batchBytes += line.bytes + 1;
    } else if (line.kind === 'rejected') {
      const outcome: Outcome = {
        line: raw.number,
        status: 'rejected',
        code: line.code,
        message: line.message,
      };
      if (batch.length === 0) settle([outcome]);
      else held.push(outcome);
    }
    lines = raw.number - fromLine + 1;
    bytesRead = raw.end;
    if (batch.length >= options.batchSize || held.length >= options.batchSize) await flush();
    else if (lines % PROGRESS_EVERY_LINES === 0) progress();
  }
  await flush();
  progress();
  return report(lines);
}

/** Part of a split batch went through before the rest failed: those answers still count. */
class PartlySent extends Error {
  constructor(
    readonly outcomes: Outcome[],
    readonly error: unknown,
  ) {
    super('batch partly sent');
  }
}

/** Maps the answer's per-index results to lines; refuses an answer that does not cover the batch. */
function outcomesOf(items: PendingItem[], answer: BatchAnswer): Outcome[] {
  const byIndex = new Map(answer.results.map((r) => [r.index, r]));
  if (byIndex.size !== items.length || answer.results.length !== items.length)
    throw new ImportError(
      'bad_response',
      `the collector answered ${answer.results.length} results for a batch of ${items.length} items`,
    );
  return items.map((item, index) => {
    const r = byIndex.get(index);
    if (!r) throw new ImportError('bad_response', `the collector's answer has no result for item ${index}`);
    if (r.status !== 'rejected') return { line: item.line, status: r.status };
    return {
      line: item.line,
      status: 'rejected',
      code: r.code ?? 'rejected',
      message: r.message ?? 'rejected by the collector',
    };
  });
}
