import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';

/**
 * Labelled texts in the shared-data layout: JSON lines of `{"id","text","label"}` (labels are
 * strings; numbers are accepted and kept as their string form). Bad input is reported with its
 * line number, never skipped silently.
 */
export interface LabelledText {
  id: string;
  text: string;
  label: string;
}

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    readonly code: 'not-found' | 'unreadable' | 'bad-line' | 'empty',
    message: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const Row = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  text: z.string(),
  label: z.union([z.string().min(1), z.number()]).transform(String),
});

export interface ReadOptions {
  /** Keep only the first `limit` items (in file order). */
  limit?: number;
}

export async function readLabelledTexts(file: string, options: ReadOptions = {}): Promise<LabelledText[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DatasetError('not-found', `no such file: ${file}`, undefined, { cause: err });
    throw new DatasetError('unreadable', `cannot read ${file}: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  return parseLabelledTexts(content, options);
}

export function parseLabelledTexts(content: string, options: ReadOptions = {}): LabelledText[] {
  const limit = options.limit ?? Infinity;
  const items: LabelledText[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length && items.length < limit; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new DatasetError('bad-line', `line ${i + 1}: not valid JSON (${(err as Error).message})`, i + 1);
    }
    const row = Row.safeParse(json);
    if (!row.success) {
      const issue = row.error.issues[0]!;
      const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the line';
      throw new DatasetError('bad-line', `line ${i + 1}: ${where}: ${issue.message}`, i + 1);
    }
    items.push(row.data);
  }
  if (items.length === 0) throw new DatasetError('empty', 'the data set has no items');
  return items;
}

/** The data set's name: its folder for `<name>/items.jsonl`, else the file name without extension. */
export function datasetName(file: string): string {
  const base = basename(file);
  if (base === 'items.jsonl') return basename(dirname(file));
  return base.replace(/\.jsonl?$/i, '');
}
