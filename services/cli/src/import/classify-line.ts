/** Why a line never left this machine: it could not be an item whatever the collector thinks. */
export type LocalRejection = 'invalid_json' | 'invalid_item' | 'invalid_encoding' | 'line_too_long';

export type ClassifiedLine =
  | { kind: 'blank' }
  /** `json` is the line's own text (already proven to be a JSON object), sent as it is; `bytes` its size. */
  | { kind: 'item'; json: string; bytes: number }
  | { kind: 'rejected'; code: LocalRejection; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_MESSAGE = 200;

/**
 * Decides what to do with one line: skip it (blank), send it, or reject it here. The collector
 * validates the item's fields itself; this only catches what would make the whole batch request
 * invalid (a line that is not JSON) or what the collector would reject without telling us which
 * line it was (not an object).
 */
export function classifyLine(bytes: Buffer | undefined, maxLineBytes: number): ClassifiedLine {
  if (bytes === undefined)
    return {
      kind: 'rejected',
      code: 'line_too_long',
      message: `line is longer than ${maxLineBytes} bytes`,
    };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'rejected', code: 'invalid_encoding', message: 'line is not valid UTF-8' };
  }
  const json = text.trim();
  if (json === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { kind: 'rejected', code: 'invalid_json', message: clip((err as Error).message) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { kind: 'rejected', code: 'invalid_item', message: `expected a JSON object, got ${what}` };
  }
  // The raw length bounds the trimmed text's: good enough for sizing request bodies.
  return { kind: 'item', json, bytes: bytes.length };
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}
