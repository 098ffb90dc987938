import cliProgress from 'cli-progress';
import type { RetryNotice } from './collector-client.js';
import type { ImportProgress } from './import-file.js';

/** Where an import shows how far it got; `stop` leaves the terminal clean for the summary. */
export interface ProgressDisplay {
  update(progress: ImportProgress): void;
  retrying(notice: RetryNotice, line: number | undefined): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Shown as the bar's label. */
  name: string;
  fileBytes: number;
  /** Without a TTY: the least time between two progress lines. */
  everyMs?: number;
}

/**
 * A cli-progress bar (bytes read against the file size) when the stream is a terminal; otherwise
 * no bar, whose redraws would litter a log, but a plain progress line now and then, and one line
 * per retry so a slow import in a log says why it is slow.
 */
export function createProgress(stream: NodeJS.WritableStream, options: ProgressOptions): ProgressDisplay {
  const total = Math.max(options.fileBytes, 1);
  if ((stream as { isTTY?: boolean }).isTTY === true) return barDisplay(stream, options.name, total);
  return lineDisplay(stream, options.name, total, options.everyMs ?? 10_000);
}

function barDisplay(stream: NodeJS.WritableStream, name: string, total: number): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        '{name} [{bar}] {percentage}% | {lines} lines | {accepted} accepted | {duplicates} duplicates | ' +
        '{rejected} rejected | ETA {eta_formatted}{status}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const counts = { lines: 0, accepted: 0, duplicates: 0, rejected: 0 };
  bar.start(total, 0, { name, ...counts, status: '' });
  return {
    update(p) {
      bar.update(Math.min(p.bytesRead, total), { ...counts, ...pick(p), status: '' });
    },
    retrying(notice, line) {
      bar.update({ status: ` | ${retryText(notice, line)}` });
    },
    stop() {
      bar.stop();
    },
  };
}

function lineDisplay(stream: NodeJS.WritableStream, name: string, total: number, everyMs: number) {
  let last = Date.now();
  return {
    update(p: ImportProgress) {
      if (Date.now() - last < everyMs) return;
      last = Date.now();
      const percent = Math.floor((Math.min(p.bytesRead, total) / total) * 100);
      stream.write(
        `${name}: ${percent}% — ${p.lines} lines, ${p.accepted} accepted, ${p.duplicates} duplicates, ${p.rejected} rejected\n`,
      );
    },
    retrying(notice: RetryNotice, line: number | undefined) {
      stream.write(`${name}: ${retryText(notice, line)}\n`);
    },
    stop() {},
  } satisfies ProgressDisplay;
}

function pick({ lines, accepted, duplicates, rejected }: ImportProgress) {
  return { lines, accepted, duplicates, rejected };
}

function retryText(notice: RetryNotice, line: number | undefined): string {
  const where = line === undefined ? '' : ` (batch from line ${line})`;
  return `${notice.reason}${where}; retry ${notice.attempt}/${notice.retries} in ${(notice.delayMs / 1000).toFixed(1)} s`;
}
