import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MAX_BATCH_ITEMS } from '@trendmill/collector';
import type { Command } from '../command.js';
import { CollectorClient } from '../import/collector-client.js';
import { ImportError } from '../import/import-error.js';
import { importFile, ImportStoppedError, type ImportReport } from '../import/import-file.js';
import { createProgress } from '../import/progress.js';
import { renderSummary } from '../import/render-summary.js';
import { DEFAULT_RETRY_POLICY } from '../import/retry-policy.js';
import { labelFromFileName, SOURCE_LABEL } from '../import/source-label.js';
import { UsageError } from '../usage-error.js';

const DEFAULT_BATCH_SIZE = 500;

const usage = `Usage:
  trendmill import FILE [--url BASE_URL] [--source LABEL] [--api-key KEY] [--batch-size N]
                        [--from-line N] [--retries N] [--json]

Imports a JSONL file (one post per line: {"title", "content", "summary", "url", "author",
"publishedAt", "externalId", ...}) into a running collector through POST /api/v1/ingest/batch.
The file is streamed, so it may be of any size. Blank lines are skipped; a line that is not a
JSON object is rejected with its line number. Importing the same file again yields duplicates,
not new items.

  --url         the collector (default: TRENDMILL_URL, else http://localhost:8080, \`make run\`)
  --source      the source label the items are filed under (default: the file's name)
  --api-key     the collector's API key (default: TRENDMILL_API_KEY)
  --batch-size  items per request, 1-${MAX_BATCH_ITEMS} (default ${DEFAULT_BATCH_SIZE})
  --from-line   start at this line (to resume an import that stopped; it says where)
  --retries     retries of a batch after a network error, 5xx or 429 (default ${DEFAULT_RETRY_POLICY.retries})
  --json        print the summary as one JSON object on the last line

Exits 0 when every line was imported (or was a duplicate), 1 when some were rejected or the
import stopped, 2 for a usage error.`;

export interface ImportIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Ctrl-C stops the import at a batch boundary and says where to resume (the real CLI only). */
  handleSigint?: boolean;
  /** Aborting it stops the import the way Ctrl-C does. */
  signal?: AbortSignal;
  /** Without a TTY: the least time between two progress lines on stderr. */
  progressEveryMs?: number;
}

/** The command over the given streams and environment; `importCommand` is it over the process's. */
export function createImportCommand(io: ImportIo): Command {
  const print = (text: string) => io.stdout.write(`${text}\n`);
  return {
    summary: 'import a JSONL file of posts into the collector',
    usage,
    async run(argv) {
      const { values, positionals } = parseArguments(argv);
      if (values.help) {
        print(usage);
        return 0;
      }
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0) throw new UsageError('expected exactly one FILE');
      const batchSize = intOption(
        values['batch-size'],
        '--batch-size',
        DEFAULT_BATCH_SIZE,
        1,
        MAX_BATCH_ITEMS,
      );
      const fromLine = intOption(values['from-line'], '--from-line', 1, 1, Number.MAX_SAFE_INTEGER);
      const retries = intOption(values.retries, '--retries', DEFAULT_RETRY_POLICY.retries, 0, 100);
      const retryMs = intOption(
        values['retry-ms'],
        '--retry-ms',
        DEFAULT_RETRY_POLICY.baseDelayMs,
        1,
        60_000,
      );
      const source = values.source ?? labelFromFileName(file);
      if (!SOURCE_LABEL.test(source))
        throw new UsageError(
          `--source must be 1-100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit`,
        );
      const apiUrl = apiUrlOf(
        values.url ?? io.env.TRENDMILL_URL ?? 'http://localhost:8080',
        values.url !== undefined,
      );
      const fileBytes = await fileSize(file);

      const sigint = new AbortController();
      const onSigint = () => sigint.abort();
      if (io.handleSigint) process.once('SIGINT', onSigint);
      const interrupt = io.signal ? AbortSignal.any([io.signal, sigint.signal]) : sigint.signal;
      let batchLine: number | undefined;
      const progress = createProgress(io.stderr, {
        name: source,
        fileBytes,
        ...(io.progressEveryMs !== undefined ? { everyMs: io.progressEveryMs } : {}),
      });
      const client = new CollectorClient({
        apiUrl,
        apiKey: values['api-key'] ?? io.env.TRENDMILL_API_KEY,
        retry: { ...DEFAULT_RETRY_POLICY, retries, baseDelayMs: retryMs },
        signal: interrupt,
        onRetry: (notice) => progress.retrying(notice, batchLine),
      });
      let report: ImportReport;
      try {
        await client.check();
        report = await importFile({
          file,
          source,
          batchSize,
          fromLine,
          client,
          signal: interrupt,
          onProgress: (p) => progress.update(p),
          onSend: (line) => (batchLine = line),
        });
      } catch (err) {
        if (!(err instanceof ImportStoppedError)) throw err;
        progress.stop();
        const { reason, resumeFromLine } = err;
        const error = `${reason.message}; stopped at line ${resumeFromLine} (every line before it is settled): resume with --from-line ${resumeFromLine}`;
        print(
          values.json
            ? JSON.stringify({
                ...jsonSummary(err.report),
                stoppedAtLine: resumeFromLine,
                error: { code: reason.code, message: reason.message },
              })
            : renderSummary(err.report),
        );
        throw new ImportError(reason.code, error, { cause: reason });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
      print(values.json ? JSON.stringify(jsonSummary(report)) : renderSummary(report));
      return report.rejected > 0 ? 1 : 0;
    },
  };
}

export const importCommand: Command = createImportCommand({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  handleSigint: true,
});

/** The `--json` summary: the documented keys first, `fromLine` only when the import resumed. */
function jsonSummary(r: ImportReport) {
  return {
    file: r.file,
    source: r.source,
    sourceId: r.sourceId,
    lines: r.lines,
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    reasons: r.reasons,
    seconds: r.seconds,
    ...(r.fromLine > 1 ? { fromLine: r.fromLine } : {}),
  };
}

function parseArguments(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        source: { type: 'string' },
        'api-key': { type: 'string' },
        'batch-size': { type: 'string' },
        'from-line': { type: 'string' },
        retries: { type: 'string' },
        // The first retry's backoff; undocumented, for tests that should not wait half a second.
        'retry-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // node:util reports unknown options and missing values as TypeErrors; they are usage mistakes.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/**
 * The collector API under a base URL: `http://host:8080` and `http://host:8080/api/v1` both name
 * it. Credentials in the URL are refused: they would be shown in messages and fetch rejects them.
 */
function apiUrlOf(base: string, fromOption: boolean): string {
  const what = fromOption ? '--url' : 'TRENDMILL_URL';
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`${what} must be an absolute http(s) URL, got "${base}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${what} must be an http(s) URL, got "${url.protocol}"`);
  if (url.username || url.password)
    throw new UsageError(
      `${what} must not carry credentials; pass the key with --api-key or TRENDMILL_API_KEY`,
    );
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith('/api/v1') ? path : `${path}/api/v1`}`;
}

/** The file's size (for the progress bar), with a one-line reason when it cannot be imported. */
async function fileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new Error(`${file} is a directory, not a JSONL file`);
    await access(file, constants.R_OK);
    return info.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`file not found: ${file}`, { cause: err });
    if (code === 'EACCES') throw new Error(`cannot read ${file}: permission denied`, { cause: err });
    throw err;
  }
}
