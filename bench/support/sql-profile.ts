import { PGlite } from '@electric-sql/pglite';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { observePgliteThreads } from '../../services/platform/src/index.js';

/**
 * Where the embedded database's time goes, per SQL statement, in windows of a long bench run: an
 * opt-in probe for the scale bench (TRENDMILL_BENCH_SQL_PROFILE=FILE), with whitespace folded and
 * parameter lists written `$n`. With PGlite in its own thread (the default) it observes each
 * request's round trip to that thread; with PGlite in this thread it times every synchronous
 * protocol exchange PGlite runs (`execProtocolRawSync`: the WASM PostgreSQL plus PGlite's own
 * framing) and charges it to the statement text of the last Parse or simple Query message. PGlite
 * has no per-statement hook of its own, and pg_stat_statements would count executor time only, not
 * the protocol layer the pipeline also pays for; bench use only, never in a service.
 *
 * Every `everyMs` it appends one JSON line {t, statements: {text: [ms, calls]}} of cumulative
 * figures to the file; `windowTable` turns two or more lines into per-window costs.
 */
export interface SqlProfile {
  /** Takes a last snapshot, unwraps PGlite, and returns every snapshot written. */
  stop(): ProfileLine[];
}

interface Tally {
  ms: number;
  calls: number;
}

type RawSync = (message: Uint8Array) => Uint8Array;

const TEXT_LIMIT = 160;
const decoder = new TextDecoder();

/** The statement text of a Parse ('P') or simple Query ('Q') frontend message; otherwise undefined. */
export function statementText(message: Uint8Array): string | undefined {
  const type = message[0];
  if (type !== 0x50 && type !== 0x51) return undefined;
  // Type byte, int32 length, then for Parse a NUL-terminated statement name before the query.
  let start = 5;
  if (type === 0x50) {
    while (start < message.length && message[start] !== 0) start++;
    start++;
  }
  let end = start;
  while (end < message.length && message[end] !== 0) end++;
  if (start >= message.length) return undefined;
  return foldStatement(decoder.decode(message.subarray(start, Math.min(end, start + 4 * TEXT_LIMIT))));
}

/** Whitespace folded, parameter lists written `$n`, cut to TEXT_LIMIT characters. */
export function foldStatement(text: string): string {
  return text
    .slice(0, 4 * TEXT_LIMIT)
    .replace(/\s+/g, ' ')
    .replace(/\$\d+(?:\s*,\s*\$\d+)*/g, '$n')
    .trim()
    .slice(0, TEXT_LIMIT);
}

/**
 * `where`: `thread` observes PgliteThread (the default embedded database, see
 * observePgliteThreads): each request's time from sending it to its answer, charged to its statement
 * (BEGIN, COMMIT or ROLLBACK for a transaction's ends); `main` wraps PGlite's protocol method in
 * this thread (TRENDMILL_PGLITE_THREAD=off).
 */
export function startSqlProfile(
  file: string,
  everyMs = 60_000,
  where: 'thread' | 'main' = 'thread',
): SqlProfile {
  const tallies = new Map<string, Tally>();
  const charge = (text: string, ms: number) => {
    const tally = tallies.get(text) ?? { ms: 0, calls: 0 };
    tally.ms += ms;
    tally.calls++;
    tallies.set(text, tally);
  };
  let unwrap: () => void;
  if (where === 'thread') {
    const ends: Record<string, string> = {
      begin: 'BEGIN',
      end: 'COMMIT',
      rollback: 'ROLLBACK',
      close: '(close)',
    };
    observePgliteThreads((request, ms) =>
      charge(request.sql === undefined ? (ends[request.op] ?? request.op) : foldStatement(request.sql), ms),
    );
    unwrap = () => observePgliteThreads(undefined);
  } else {
    const proto = PGlite.prototype as unknown as { execProtocolRawSync: RawSync };
    const original = proto.execProtocolRawSync;
    let current = '(before any statement)';
    proto.execProtocolRawSync = function (this: unknown, message: Uint8Array): Uint8Array {
      current = statementText(message) ?? current;
      const started = performance.now();
      try {
        return original.call(this, message);
      } finally {
        charge(current, performance.now() - started);
      }
    };
    unwrap = () => {
      proto.execProtocolRawSync = original;
    };
  }
  writeFileSync(file, '');
  const started = performance.now();
  const lines: ProfileLine[] = [];
  const snapshot = () => {
    const line: ProfileLine = {
      t: Math.round((performance.now() - started) / 1000),
      statements: Object.fromEntries(
        [...tallies].map(([text, { ms, calls }]) => [text, [Math.round(ms), calls] as [number, number]]),
      ),
    };
    lines.push(line);
    appendFileSync(file, JSON.stringify(line) + '\n');
  };
  const timer = setInterval(snapshot, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      snapshot();
      unwrap();
      return lines;
    },
  };
}

export interface ProfileLine {
  t: number;
  statements: Record<string, [number, number]>;
}

export function readProfile(file: string): ProfileLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ProfileLine);
}

/**
 * Per window between consecutive profile lines (at most `windows` of them, spread over the run):
 * each statement's database milliseconds per minute and per call, the `top` statements by their
 * cost in the last window first. Growth shows as a statement whose ms per call rises window by
 * window.
 */
export function windowTable(lines: readonly ProfileLine[], top = 12, windows = 5): string {
  if (lines.length < 2) return 'sql profile: fewer than two snapshots, no window to show';
  const step = Math.max(1, Math.floor((lines.length - 1) / windows));
  const ends: number[] = [];
  for (let i = lines.length - 1; i >= 1 && ends.length < windows; i -= step) ends.unshift(i);
  const spans = ends.map((end) => {
    const [from, to] = [lines[Math.max(0, end - step)]!, lines[end]!];
    const minutes = Math.max(1e-9, (to.t - from.t) / 60);
    const cost = new Map<string, { perMinute: number; perCall: number }>();
    for (const [text, [ms, calls]] of Object.entries(to.statements)) {
      const [ms0, calls0] = from.statements[text] ?? [0, 0];
      if (calls === calls0) continue;
      cost.set(text, { perMinute: (ms - ms0) / minutes, perCall: (ms - ms0) / (calls - calls0) });
    }
    return { label: `${from.t}-${to.t}s`, cost };
  });
  const last = spans.at(-1)!.cost;
  const texts = [...new Set(spans.flatMap((span) => [...span.cost.keys()]))]
    .sort((a, b) => (last.get(b)?.perMinute ?? 0) - (last.get(a)?.perMinute ?? 0) || (a < b ? -1 : 1))
    .slice(0, top);
  const cell = (value: number | undefined, digits: number) =>
    (value === undefined ? '-' : value.toFixed(digits)).padStart(8);
  const rows = [
    `windows: ${spans.map((span) => span.label).join(', ')}`,
    `total ms/min: ${spans.map((span) => [...span.cost.values()].reduce((sum, c) => sum + c.perMinute, 0).toFixed(0)).join(', ')}`,
    'ms per minute (one column per window) | ms per call | statement',
    ...texts.map(
      (text) =>
        `${spans.map((span) => cell(span.cost.get(text)?.perMinute, 0)).join('')} |` +
        `${spans.map((span) => cell(span.cost.get(text)?.perCall, 2)).join('')} | ${text}`,
    ),
  ];
  return rows.join('\n');
}
